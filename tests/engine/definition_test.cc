// Workflow definitions are validated once, at load: each broken definition below is a real
// workflow file with one small edit (a JSON Patch, RFC 6902), and must be rejected with every
// problem named by its JSON Pointer and a Dutch message.
#include "engine/definition.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using navolg::testing::ReadRepoFile;
using nlohmann::json;

constexpr const char* kStandard = "standaard-participatie";
constexpr const char* kBeleid = "participatiebeleid";

const json& Workflow(const std::string& key) {
  static std::map<std::string, json> cache;
  auto it = cache.find(key);
  if (it == cache.end()) {
    it = cache.emplace(key, json::parse(ReadRepoFile("workflows/" + key + ".json"))).first;
  }
  return it->second;
}

std::string Describe(const std::vector<DefinitionError>& errors) {
  std::string text;
  for (const DefinitionError& e : errors) text += "\n  " + e.path + ": " + e.message;
  return text.empty() ? " (none)" : text;
}

struct ExpectedError {
  std::string path;
  std::string message_part;
};

// Every expected error is reported, at exactly its path, and nothing else is.
void ExpectExactly(const ParsedDefinition& parsed, const std::vector<ExpectedError>& expected) {
  EXPECT_FALSE(parsed.definition.has_value());
  std::vector<bool> used(parsed.errors.size(), false);
  for (const ExpectedError& want : expected) {
    bool found = false;
    for (std::size_t i = 0; i < parsed.errors.size() && !found; ++i) {
      if (!used[i] && parsed.errors[i].path == want.path &&
          parsed.errors[i].message.find(want.message_part) != std::string::npos) {
        used[i] = found = true;
      }
    }
    EXPECT_TRUE(found) << "missing error at \"" << want.path << "\" containing \""
                       << want.message_part << "\"; got:" << Describe(parsed.errors);
  }
  EXPECT_EQ(parsed.errors.size(), expected.size()) << "got:" << Describe(parsed.errors);
}

struct BrokenCase {
  std::string name;
  std::string workflow;
  std::string patch;  // RFC 6902
  std::vector<ExpectedError> errors;
};

void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.workflow << " + " << c.patch; }

const std::vector<BrokenCase>& BrokenCases() {
  static const std::vector<BrokenCase> kCases = {
      // Shape: unknown members, missing members, wrong types, key syntax.
      {"UnknownTopLevelMember",
       kStandard,
       R"([{"op":"add","path":"/titel","value":"x"}])",
       {{"/titel", "onbekend onderdeel 'titel'"}}},
      {"UnknownMemberInField",
       kStandard,
       R"([{"op":"add","path":"/products/0/fields/0/verplicht","value":true}])",
       {{"/products/0/fields/0/verplicht", "onbekend onderdeel 'verplicht'"}}},
      {"UnknownMemberInGuard",
       kStandard,
       R"([{"op":"add","path":"/transitions/0/guards/0/min","value":1}])",
       {{"/transitions/0/guards/0/min", "onbekend onderdeel 'min'"}}},
      {"UnknownMemberNameIsEscaped",
       kStandard,
       R"([{"op":"add","path":"/a~1b~0c","value":1}])",
       {{"/a~1b~0c", "onbekend onderdeel 'a/b~c'"}}},
      {"MissingTitle",
       kStandard,
       R"([{"op":"remove","path":"/title"}])",
       {{"/title", "ontbreekt"}}},
      {"MissingFieldKey",
       kStandard,
       R"([{"op":"remove","path":"/products/1/fields/2/key"}])",
       {{"/products/1/fields/2/key", "ontbreekt"}}},
      {"MissingTransitionTarget",
       kStandard,
       R"([{"op":"remove","path":"/transitions/2/to"}])",
       {{"/transitions/2/to", "ontbreekt"}}},
      {"MissingEditors",
       kStandard,
       R"([{"op":"remove","path":"/products/1/editors"}])",
       {{"/products/1/editors", "ontbreekt"}}},
      {"EmptyEditors",
       kStandard,
       R"([{"op":"replace","path":"/products/1/editors","value":[]}])",
       {{"/products/1/editors", "noem minstens een rol"}}},
      {"EmptyRoles",
       kStandard,
       R"([{"op":"replace","path":"/transitions/2/roles","value":[]}])",
       {{"/transitions/2/roles", "noem minstens een rol"}}},
      {"MissingMetBy",
       kStandard,
       R"([{"op":"remove","path":"/deadlines/0/met_by"}])",
       {{"/deadlines/0/met_by", "ontbreekt"}}},
      {"MissingItemField",
       kStandard,
       R"([{"op":"remove","path":"/transitions/3/guards/1/ids/item_field"}])",
       {{"/transitions/3/guards/1/ids/item_field", "ontbreekt"}}},
      {"VersionNotAnInteger",
       kStandard,
       R"([{"op":"replace","path":"/version","value":"1"}])",
       {{"/version", "geheel getal"}}},
      {"VersionZero",
       kStandard,
       R"([{"op":"replace","path":"/version","value":0}])",
       {{"/version", "1 of hoger"}}},
      {"VersionTooLarge",
       kStandard,
       R"([{"op":"replace","path":"/version","value":18446744073709551615}])",
       {{"/version", "geheel getal zijn tussen"}}},
      {"MaxBeyondSafeInteger",
       kStandard,
       R"([{"op":"replace","path":"/products/0/fields/8/max","value":9007199254740993}])",
       {{"/products/0/fields/8/max", "geheel getal zijn tussen"}}},
      {"SchemaNotText",
       kStandard,
       R"([{"op":"replace","path":"/$schema","value":5}])",
       {{"/$schema", "tekst"}}},
      {"GuardNotAnObject",
       kStandard,
       R"([{"op":"replace","path":"/transitions/2/guards/0","value":"motivation"}])",
       {{"/transitions/2/guards/0", "moet een object zijn"}}},
      {"BadWorkflowKey",
       kStandard,
       R"([{"op":"replace","path":"/key","value":"Standaard participatie"}])",
       {{"/key", "geen geldige sleutel"}}},
      {"BadTransitionKey",
       kStandard,
       R"([{"op":"replace","path":"/transitions/2/key","value":"terug-naar-gesprek"}])",
       {{"/transitions/2/key", "geen geldige sleutel"}}},
      {"BadFieldKey",
       kStandard,
       R"([{"op":"replace","path":"/products/1/fields/2/key","value":"2budget"}])",
       {{"/products/1/fields/2/key", "geen geldige sleutel"}}},

      // Duplicate keys.
      {"DuplicateStateKey",
       kStandard,
       R"([{"op":"add","path":"/states/-","value":{"key":"gesprek","title":"Nog een"}}])",
       {{"/states/8/key", "toestand 'gesprek' komt twee keer voor"}}},
      {"DuplicateProductKey",
       kStandard,
       R"([{"op":"add","path":"/products/-","value":{"key":"capaciteit","title":"Twee",
            "editors":["manager"],"editable_in":["kaders"],
            "fields":[{"key":"a","type":"text"}]}}])",
       {{"/products/10/key", "product 'capaciteit' komt twee keer voor"}}},
      {"DuplicateFieldKey",
       kStandard,
       R"([{"op":"replace","path":"/products/1/fields/2/key","value":"uren"}])",
       {{"/products/1/fields/2/key", "veld 'uren' komt twee keer voor"}}},
      {"DuplicateItemFieldKey",
       kStandard,
       R"([{"op":"replace","path":"/products/3/fields/4/fields/1/key","value":"id"}])",
       {{"/products/3/fields/4/fields/1/key", "veld 'id' komt twee keer voor"}}},
      {"DuplicateTransitionKey",
       kStandard,
       R"([{"op":"add","path":"/transitions/-","value":{"key":"afronden","title":"Snel",
            "from":["kaders"],"to":"afgerond","roles":["manager"]}}])",
       {{"/transitions/8/key", "overgang 'afronden' komt twee keer voor"}}},
      {"DuplicateDeadlineKey",
       kStandard,
       R"([{"op":"add","path":"/deadlines/-","value":{"key":"terugkoppeling","title":"Twee",
            "starts":{"transition":"naar_gesprek"},"due":{"from":"start",
            "add":[{"amount":7,"unit":"days"}]},"met_by":{"transition":"naar_duiden"}}}])",
       {{"/deadlines/2/key", "termijn 'terugkoppeling' komt twee keer voor"}}},
      {"DuplicateOption",
       kStandard,
       R"([{"op":"add","path":"/products/0/fields/6/options/-","value":"informeren"}])",
       {{"/products/0/fields/6/options/5", "keuze 'informeren' komt twee keer voor"}}},

      // States and the graph.
      {"NoStartState",
       kStandard,
       R"([{"op":"remove","path":"/states/0/start"}])",
       {{"/states", "geen begintoestand"}}},
      {"TwoStartStates",
       kStandard,
       R"([{"op":"add","path":"/states/2/start","value":true}])",
       {{"/states/2/start", "er is al een begintoestand: 'kaders'"}}},
      {"NoEndState",
       kBeleid,
       R"([{"op":"remove","path":"/states/2/end"}])",
       {{"/states", "geen eindtoestand"}}},
      {"UnknownStateInFrom",
       kBeleid,
       R"([{"op":"replace","path":"/transitions/1/from/0","value":"vastgestelt"}])",
       {{"/transitions/1/from/0", "onbekende toestand 'vastgestelt'"}}},
      {"UnknownStateInTo",
       kStandard,
       R"([{"op":"replace","path":"/transitions/2/to","value":"gespreck"}])",
       {{"/transitions/2/to", "onbekende toestand 'gespreck'"}}},
      {"UnknownStateInEditableIn",
       kStandard,
       R"([{"op":"replace","path":"/products/1/editable_in/0","value":"kader"}])",
       {{"/products/1/editable_in/0", "onbekende toestand 'kader'"}}},
      {"EditableInEndState",
       kStandard,
       R"([{"op":"replace","path":"/products/1/editable_in/0","value":"afgerond"}])",
       {{"/products/1/editable_in/0", "'afgerond' is een eindtoestand"}}},
      {"EditableInWordInsteadOfStar",
       kStandard,
       R"([{"op":"replace","path":"/products/9/editable_in","value":"alle"}])",
       {{"/products/9/editable_in", "\"*\""}}},
      {"TransitionFromEndState",
       kBeleid,
       R"([{"op":"add","path":"/transitions/-","value":{"key":"heropenen","title":"Heropenen",
            "from":["ingetrokken"],"to":"concept","roles":["bestuur"]}}])",
       {{"/transitions/3/from/0", "'ingetrokken' is een eindtoestand"}}},
      {"UnreachableState",
       kStandard,
       R"([{"op":"add","path":"/states/-","value":{"key":"archief","title":"Archief"}}])",
       {{"/states/8", "toestand 'archief' is onbereikbaar vanuit 'kaders'"}}},
      {"DeadEndState",
       kBeleid,
       R"([{"op":"add","path":"/states/-","value":{"key":"wachten","title":"Wachten"}},
           {"op":"add","path":"/transitions/-","value":{"key":"wachten","title":"Wachten",
            "from":["concept"],"to":"wachten","roles":["bestuur"]}}])",
       {{"/states/3", "vanuit toestand 'wachten' is geen eindtoestand te bereiken"}}},
      {"CycleWithoutExit",
       kBeleid,
       R"([{"op":"add","path":"/states/-","value":{"key":"bezwaar","title":"Bezwaar"}},
           {"op":"add","path":"/states/-","value":{"key":"heroverweging","title":"Heroverweging"}},
           {"op":"add","path":"/transitions/-","value":{"key":"bezwaar_maken","title":"B",
            "from":["vastgesteld"],"to":"bezwaar","roles":["bestuur"]}},
           {"op":"add","path":"/transitions/-","value":{"key":"heroverwegen","title":"H",
            "from":["bezwaar"],"to":"heroverweging","roles":["bestuur"]}},
           {"op":"add","path":"/transitions/-","value":{"key":"opnieuw","title":"O",
            "from":["heroverweging"],"to":"bezwaar","roles":["bestuur"]}}])",
       {{"/states/3", "vanuit toestand 'bezwaar' is geen eindtoestand te bereiken"},
        {"/states/4", "vanuit toestand 'heroverweging' is geen eindtoestand te bereiken"}}},
      {"DuplicateTransition",
       kStandard,
       R"([{"op":"add","path":"/transitions/-","value":{"key":"ook_naar_gesprek","title":"Ook",
            "from":["kaders"],"to":"gesprek","roles":["manager"]}}])",
       {{"/transitions/8", "dubbele overgang van 'kaders' naar 'gesprek'"}}},
      {"DuplicateTransitionViaStar",
       kStandard,
       R"([{"op":"add","path":"/transitions/-","value":{"key":"ook_stoppen","title":"Ook",
            "from":["besluit"],"to":"gestopt","roles":["manager"]}}])",
       {{"/transitions/8", "dubbele overgang van 'besluit' naar 'gestopt'"}}},
      {"TwoStopTransitionsFromOneState",
       kStandard,
       R"([{"op":"add","path":"/transitions/-","value":{"key":"afbreken","title":"Afbreken",
            "from":["kaders"],"to":"afgerond","roles":["manager"],"stops_process":true}}])",
       {{"/transitions/8", "meer dan een stopovergang vanuit 'kaders'"}}},
      {"StopTransitionToOpenState",
       kBeleid,
       R"([{"op":"add","path":"/transitions/1/stops_process","value":true}])",
       {{"/transitions/1/to", "een stopovergang moet naar een eindtoestand gaan"}}},

      // Roles.
      {"UnknownEditorRole",
       kStandard,
       R"([{"op":"replace","path":"/products/1/editors/0","value":"beheerder"}])",
       {{"/products/1/editors/0", "onbekende rol 'beheerder'"}}},
      {"UnknownTransitionRole",
       kStandard,
       R"([{"op":"replace","path":"/transitions/0/roles/1","value":"wethouder"}])",
       {{"/transitions/0/roles/1", "onbekende rol 'wethouder'"}}},
      {"UnknownAdoptionRole",
       kStandard,
       R"([{"op":"replace","path":"/products/0/adoption/role","value":"raad"}])",
       {{"/products/0/adoption/role", "onbekende rol 'raad'"}}},

      // Fields.
      {"UnknownFieldType",
       kStandard,
       R"([{"op":"replace","path":"/products/1/fields/0/type","value":"string"}])",
       {{"/products/1/fields/0/type", "onbekend veldtype 'string'"}}},
      {"MinAboveMax",
       kStandard,
       R"([{"op":"replace","path":"/products/0/fields/8/min","value":400}])",
       {{"/products/0/fields/8/min", "min is groter dan max"}}},
      {"EnumWithoutOptions",
       kStandard,
       R"([{"op":"remove","path":"/products/0/fields/5/options"}])",
       {{"/products/0/fields/5/options", "ontbreekt"}}},
      {"EnumWithEmptyOptions",
       kStandard,
       R"([{"op":"replace","path":"/products/0/fields/5/options","value":[]}])",
       {{"/products/0/fields/5/options", "noem minstens een keuzemogelijkheid"}}},
      {"OptionsOnInteger",
       kStandard,
       R"([{"op":"add","path":"/products/1/fields/1/options","value":["a"]}])",
       {{"/products/1/fields/1/options", "hoort alleen bij velden van type enum of enumlist"}}},
      {"MinOnText",
       kStandard,
       R"([{"op":"add","path":"/products/1/fields/0/min","value":1}])",
       {{"/products/1/fields/0/min", "hoort alleen bij velden van type integer"}}},
      {"GeneratedIdOutsideItems",
       kStandard,
       R"([{"op":"add","path":"/products/1/fields/0/generated_id","value":true}])",
       {{"/products/1/fields/0/generated_id", "text binnen items"}}},
      {"ItemsInsideItems",
       kStandard,
       R"([{"op":"add","path":"/products/3/fields/4/fields/-","value":{"key":"reacties",
            "type":"items","fields":[{"key":"tekst","type":"text"}]}}])",
       {{"/products/3/fields/4/fields/2/type", "items binnen items"}}},
      {"GeneratedIdOnLongtextInItems",
       kStandard,
       R"([{"op":"add","path":"/products/3/fields/4/fields/1/generated_id","value":true}])",
       {{"/products/3/fields/4/fields/1/generated_id", "text binnen items"}}},
      {"NegativeMinItems",
       kStandard,
       R"([{"op":"replace","path":"/products/0/fields/3/min_items","value":-1}])",
       {{"/products/0/fields/3/min_items", "mag niet negatief zijn"}}},
      {"ItemsWithoutFields",
       kStandard,
       R"([{"op":"remove","path":"/products/8/fields/1/fields"}])",
       {{"/products/8/fields/1/fields", "ontbreekt"},
        {"/improvement_points/text", "'tekst' is geen tekstveld van de items"},
        {"/improvement_points/niveau", "'niveau' is geen enum-veld van de items"},
        {"/improvement_points/rol", "'rol' is geen enum-veld van de items"}}},
      {"CheckOfUnknownKind",
       kStandard,
       R"([{"op":"replace","path":"/checks/0/kind","value":"vibes"}])",
       {{"/checks/0/kind", "onbekende soort toets 'vibes'"}}},
      {"CheckInAnUnknownCell",
       kStandard,
       R"([{"op":"replace","path":"/checks/0/cell","value":{"niveau":"wijk","rol":"auditor"}}])",
       {{"/checks/0/cell/niveau", "'wijk' is geen van: organisatie, vraagstuk, gesprek"},
        {"/checks/0/cell/rol", "'auditor' is geen van: bestuur, manager, adviseur"}}},
      {"CheckWithAMemberOfAnotherKind",
       kStandard,
       R"([{"op":"add","path":"/checks/1/days","value":3}])",
       {{"/checks/1/days", "hoort niet bij een toets van soort 'adoption_current'"}}},
      {"CheckOfAnUnknownDeadline",
       kStandard,
       R"([{"op":"replace","path":"/checks/6/deadline","value":"nooit"}])",
       {{"/checks/6/deadline", "onbekende termijn 'nooit'"}}},
      {"CheckDueAfterAnUnknownTransition",
       kStandard,
       R"([{"op":"replace","path":"/checks/4/due_after/0","value":"vliegen"}])",
       {{"/checks/4/due_after/0", "onbekende overgang 'vliegen'"}}},
      {"CheckWithAMotivationGuard",
       kStandard,
       R"([{"op":"replace","path":"/checks/2/guards/0","value":{"kind":"motivation"}}])",
       {{"/checks/2/guards/0/kind", "een toets heeft geen opdracht en dus geen motivatie"}}},
      {"CheckOnANonDateField",
       kStandard,
       R"([{"op":"replace","path":"/checks/3/date/field","value":"vorm"}])",
       {{"/checks/3/date/field", "veld 'vorm' heeft type enum, dat past hier niet"}}},
      {"CheckKeyTwice",
       kStandard,
       R"([{"op":"replace","path":"/checks/1/key","value":"kaders_voor_gesprek"}])",
       {{"/checks/1/key", "toets 'kaders_voor_gesprek' komt twee keer voor"}}},
      {"ImprovementPointsInATextField",
       kStandard,
       R"([{"op":"replace","path":"/improvement_points/field","value":"wat_ging_goed"}])",
       {{"/improvement_points/field", "'wat_ging_goed' is geen items-veld van 'evaluatie'"}}},
      {"ProductWithoutFields",
       kStandard,
       R"([{"op":"replace","path":"/products/1/fields","value":[]}])",
       {{"/products/1/fields", "een product heeft minstens een veld"},
        {"/assignee/field", "product 'capaciteit' heeft geen veld 'adviseur'"}}},
      {"NotAfterYesterday",
       kStandard,
       R"([{"op":"replace","path":"/products/3/fields/0/not_after","value":"yesterday"}])",
       {{"/products/3/fields/0/not_after", "\"today\""}}},
      {"RequiredUnlessNamesNonEnumField",
       kStandard,
       R"([{"op":"replace","path":"/products/4/fields/1/fields/2/required_unless/field",
            "value":"inbreng"}])",
       {{"/products/4/fields/1/fields/2/required_unless/field",
         "'inbreng' is geen enum-veld naast dit veld"}}},
      {"RequiredUnlessValueNotAnOption",
       kStandard,
       R"([{"op":"replace","path":"/products/4/fields/1/fields/2/required_unless/equals/0",
            "value":"aangenomen"}])",
       {{"/products/4/fields/1/fields/2/required_unless/equals/0",
         "'aangenomen' is geen keuze van 'besluit'"}}},
      {"RequiredAndRequiredUnless",
       kStandard,
       R"([{"op":"add","path":"/products/4/fields/1/fields/2/required","value":true}])",
       {{"/products/4/fields/1/fields/2/required_unless", "sluiten elkaar uit"}}},

      // Guards.
      {"UnknownGuardKind",
       kStandard,
       R"([{"op":"replace","path":"/transitions/0/guards/0/kind","value":"product_exists"}])",
       {{"/transitions/0/guards/0/kind", "onbekende soort voorwaarde 'product_exists'"}}},
      {"GuardOnUnknownProduct",
       kStandard,
       R"([{"op":"replace","path":"/transitions/0/guards/2/product","value":"capacitiet"}])",
       {{"/transitions/0/guards/2/product", "onbekend product 'capacitiet'"}}},
      {"AdoptedWithoutAdoption",
       kStandard,
       R"([{"op":"replace","path":"/transitions/0/guards/1/product","value":"capaciteit"}])",
       {{"/transitions/0/guards/1/product", "product 'capaciteit' wordt niet vastgesteld"}}},
      {"MinCountOnNonRepeatingProduct",
       kStandard,
       R"([{"op":"replace","path":"/transitions/1/guards/1/product","value":"gespreksplan"}])",
       {{"/transitions/1/guards/1/product", "product 'gespreksplan' is niet herhalend"}}},
      {"MinCountZero",
       kStandard,
       R"([{"op":"replace","path":"/transitions/1/guards/1/min","value":0}])",
       {{"/transitions/1/guards/1/min", "1 of hoger"}}},
      {"AnsweredOnceOnNonItemsField",
       kStandard,
       R"([{"op":"replace","path":"/transitions/3/guards/1/ids/field","value":"doelgroepen"}])",
       {{"/transitions/3/guards/1/ids/field", "veld 'doelgroepen' heeft type textlist"}}},
      {"AnsweredOnceUnknownItemField",
       kStandard,
       R"([{"op":"replace","path":"/transitions/3/guards/1/answers/item_field",
            "value":"kenmerk"}])",
       {{"/transitions/3/guards/1/answers/item_field",
         "'kenmerk' is geen tekstveld van de items in 'reacties'"}}},
      {"IncludesAllOnLongtext",
       kStandard,
       R"([{"op":"replace","path":"/transitions/4/guards/1/list/field","value":"bericht"}])",
       {{"/transitions/4/guards/1/list/field", "veld 'bericht' heeft type longtext"}}},
      {"IncludesAllOnUnknownField",
       kStandard,
       R"([{"op":"replace","path":"/transitions/4/guards/1/must_include/field",
            "value":"publiek"}])",
       {{"/transitions/4/guards/1/must_include/field",
         "product 'kadernotitie' heeft geen veld 'publiek'"}}},
      {"FieldSetOnUnknownField",
       kStandard,
       R"([{"op":"replace","path":"/transitions/7/guards/1/field","value":"teruggekoppeld"}])",
       {{"/transitions/7/guards/1/field", "heeft geen veld 'teruggekoppeld'"}}},

      // Deadlines.
      {"DeadlineStartsOnUnknownTransition",
       kStandard,
       R"([{"op":"replace","path":"/deadlines/0/starts/transition","value":"naar_duide"}])",
       {{"/deadlines/0/starts/transition", "onbekende overgang 'naar_duide'"}}},
      {"DeadlineStartsOnUnknownProduct",
       kStandard,
       R"([{"op":"replace","path":"/deadlines/1/starts/product_saved","value":"besluiten"}])",
       {{"/deadlines/1/starts/product_saved", "onbekend product 'besluiten'"}}},
      {"DeadlineStartsTwice",
       kStandard,
       R"([{"op":"add","path":"/deadlines/1/starts/transition","value":"naar_besluit"}])",
       {{"/deadlines/1/starts", "noem precies een van"}}},
      {"DeadlineStartsOnEmptyName",
       kStandard,
       R"([{"op":"replace","path":"/deadlines/0/starts/transition","value":""}])",
       {{"/deadlines/0/starts/transition", "niet-lege tekst"}}},
      {"DueFromNonDateField",
       kStandard,
       R"([{"op":"replace","path":"/deadlines/1/due/from/field","value":"samenvatting"}])",
       {{"/deadlines/1/due/from/field", "veld 'samenvatting' heeft type longtext"}}},
      {"DueFromWord",
       kStandard,
       R"([{"op":"replace","path":"/deadlines/1/due/from","value":"begin"}])",
       {{"/deadlines/1/due/from", "\"start\""}}},
      {"DueAddFromNonIntegerField",
       kStandard,
       R"([{"op":"replace","path":"/deadlines/0/due/add/0/field","value":"doel"}])",
       {{"/deadlines/0/due/add/0/field", "veld 'doel' heeft type longtext"}}},
      {"DueAddAmountAndField",
       kStandard,
       R"([{"op":"add","path":"/deadlines/1/due/add/0/field","value":"datum"}])",
       {{"/deadlines/1/due/add/0", "niet beide"}}},
      {"DueUnitWeeks",
       kStandard,
       R"([{"op":"replace","path":"/deadlines/1/due/add/0/unit","value":"weeks"}])",
       {{"/deadlines/1/due/add/0/unit", "moet \"days\" of \"months\" zijn"}}},
      {"MetByUnknownTransition",
       kStandard,
       R"([{"op":"replace","path":"/deadlines/1/met_by/transition","value":"naar_evalutie"}])",
       {{"/deadlines/1/met_by/transition", "onbekende overgang 'naar_evalutie'"}}},

      // The assignee: a text field of a product, named by {product, field}.
      {"AssigneeOfUnknownProduct",
       kStandard,
       R"([{"op":"replace","path":"/assignee/product","value":"capaciteiten"}])",
       {{"/assignee/product", "onbekend product 'capaciteiten'"}}},
      {"AssigneeOfUnknownField",
       kStandard,
       R"([{"op":"replace","path":"/assignee/field","value":"adviseurs"}])",
       {{"/assignee/field", "product 'capaciteit' heeft geen veld 'adviseurs'"}}},
      {"AssigneeNotAText",
       kStandard,
       R"([{"op":"replace","path":"/assignee/field","value":"uren"}])",
       {{"/assignee/field", "veld 'uren' heeft type integer"}}},
      {"AssigneeAnItemsField",
       kStandard,
       R"([{"op":"replace","path":"/assignee","value":{"product":"gespreksverslag","field":"inbreng"}}])",
       {{"/assignee/field", "veld 'inbreng' heeft type items"}}},
      {"AssigneeWithItemField",
       kStandard,
       R"([{"op":"add","path":"/assignee/item_field","value":"id"}])",
       {{"/assignee/item_field", "onbekend onderdeel 'item_field'"}}},
      {"AssigneeNotAnObject",
       kStandard,
       R"([{"op":"replace","path":"/assignee","value":"capaciteit.adviseur"}])",
       {{"/assignee", "moet een object zijn"}}},
      {"AssigneeWithoutField",
       kStandard,
       R"([{"op":"remove","path":"/assignee/field"}])",
       {{"/assignee/field", "ontbreekt"}}},
      {"AssigneeOnBeleidOfUnknownProduct",
       kBeleid,
       R"([{"op":"add","path":"/assignee","value":{"product":"capaciteit","field":"adviseur"}}])",
       {{"/assignee/product", "onbekend product 'capaciteit'"}}},
  };
  return kCases;
}

class DefinitionBrokenTest : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(DefinitionBrokenTest, IsRejectedAtItsPath) {
  const BrokenCase& c = GetParam();
  json document = Workflow(c.workflow).patch(json::parse(c.patch));
  ExpectExactly(ParseDefinition(document), c.errors);
}

INSTANTIATE_TEST_SUITE_P(DefinitionBroken, DefinitionBrokenTest, ::testing::ValuesIn(BrokenCases()),
                         [](const ::testing::TestParamInfo<BrokenCase>& param_info) {
                           return param_info.param.name;
                         });

TEST(DefinitionTest, RealWorkflowsAreValid) {
  for (const char* key : {kStandard, kBeleid}) {
    SCOPED_TRACE(key);
    ParsedDefinition parsed =
        ParseDefinitionText(ReadRepoFile(std::string("workflows/") + key + ".json"));
    EXPECT_TRUE(parsed.errors.empty()) << Describe(parsed.errors);
    ASSERT_TRUE(parsed.definition.has_value());
    EXPECT_EQ(parsed.definition->key, key);
    EXPECT_EQ(parsed.definition->version, 2);
  }
  Definition standard = testing::LoadWorkflow(kStandard);
  EXPECT_EQ(standard.start_state, "kaders");
  EXPECT_EQ(standard.end_states, (std::vector<std::string>{"afgerond", "gestopt"}));
  EXPECT_EQ(standard.states.size(), 8u);
  EXPECT_EQ(standard.products.size(), 10u);
  EXPECT_EQ(standard.transitions.size(), 8u);
  EXPECT_EQ(standard.deadlines.size(), 2u);
  ASSERT_NE(standard.Product("kadernotitie"), nullptr);
  EXPECT_EQ(standard.Product("kadernotitie")->adoption_role, "bestuur");
  ASSERT_NE(standard.Transition("stoppen"), nullptr);
  EXPECT_TRUE(standard.Transition("stoppen")->stops_process);
  EXPECT_TRUE(standard.Transition("stoppen")->from_any_open_state);
  ASSERT_TRUE(standard.assignee.has_value());
  EXPECT_EQ(standard.assignee->product, "capaciteit");
  EXPECT_EQ(standard.assignee->field, "adviseur");
  EXPECT_FALSE(testing::LoadWorkflow(kBeleid).assignee.has_value());
}

TEST(DefinitionTest, ReportsEveryMistakeAtOnce) {
  json document = Workflow(kStandard).patch(json::parse(R"([
    {"op":"add","path":"/titel","value":"x"},
    {"op":"replace","path":"/transitions/0/roles/1","value":"wethouder"},
    {"op":"replace","path":"/products/0/fields/8/min","value":400},
    {"op":"replace","path":"/deadlines/1/due/add/0/unit","value":"weeks"},
    {"op":"replace","path":"/transitions/3/guards/1/answers/item_field","value":"kenmerk"},
    {"op":"add","path":"/states/-","value":{"key":"archief","title":"Archief"}}
  ])"));
  ParsedDefinition parsed = ParseDefinition(document);
  ASSERT_EQ(parsed.errors.size(), 6u) << Describe(parsed.errors);
  ExpectExactly(parsed, {{"/titel", "onbekend onderdeel"},
                         {"/transitions/0/roles/1", "onbekende rol"},
                         {"/products/0/fields/8/min", "groter dan max"},
                         {"/deadlines/1/due/add/0/unit", "months"},
                         {"/transitions/3/guards/1/answers/item_field", "kenmerk"},
                         {"/states/8", "onbereikbaar"}});
}

TEST(DefinitionTest, InvalidJsonIsReportedAtTheRoot) {
  for (const char* text :
       {"", "{", "{\"key\": }", "[1, 2,]", "{\"key\": \"x\"} extra", "{\"title\": \"\xff\"}",
        "{\"version\": 1e400}"}) {
    SCOPED_TRACE(text);
    ParsedDefinition parsed = ParseDefinitionText(text);
    EXPECT_FALSE(parsed.definition.has_value());
    ASSERT_EQ(parsed.errors.size(), 1u) << Describe(parsed.errors);
    EXPECT_EQ(parsed.errors[0].path, "");
    EXPECT_NE(parsed.errors[0].message.find("geen geldige JSON"), std::string::npos)
        << parsed.errors[0].message;
  }
}

TEST(DefinitionTest, InvalidJsonNamesLineAndColumn) {
  ParsedDefinition parsed = ParseDefinitionText("{\n  \"key\": \"x\",\n  \"version\": 1,,\n}");
  ASSERT_EQ(parsed.errors.size(), 1u) << Describe(parsed.errors);
  EXPECT_EQ(parsed.errors[0].path, "");
  EXPECT_NE(parsed.errors[0].message.find("regel 3, kolom 16"), std::string::npos)
      << parsed.errors[0].message;
}

// A hostile file must not take the checker down (copying deeply nested JSON recurses).
TEST(DefinitionTest, DeeplyNestedDocumentIsRefused) {
  const std::size_t depth = 100000;
  const std::string text = "{\"x\": " + std::string(depth, '[') + std::string(depth, ']') + "}";
  ExpectExactly(ParseDefinitionText(text), {{"", "dieper genest dan 128 niveaus"}});
}

TEST(DefinitionTest, DocumentMustBeAnObject) {
  ExpectExactly(ParseDefinitionText("[]"), {{"", "moet een object zijn"}});
  ExpectExactly(ParseDefinitionText("\"standaard-participatie\""), {{"", "moet een object zijn"}});
}

TEST(DefinitionTest, EmptyObjectNamesEveryRequiredMember) {
  ExpectExactly(ParseDefinitionText("{}"), {{"/key", "ontbreekt"},
                                            {"/version", "ontbreekt"},
                                            {"/title", "ontbreekt"},
                                            {"/states", "ontbreekt"},
                                            {"/products", "ontbreekt"},
                                            {"/transitions", "ontbreekt"}});
}

TEST(DefinitionTest, HashIsStable) {
  const json& document = Workflow(kStandard);
  ParsedDefinition first = ParseDefinition(document);
  ParsedDefinition again =
      ParseDefinitionText(ReadRepoFile("workflows/standaard-participatie.json"));
  ASSERT_TRUE(first.definition && again.definition);
  EXPECT_EQ(first.definition->hash.size(), 64u);
  EXPECT_EQ(first.definition->hash.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(first.definition->hash, again.definition->hash);

  // Layout does not matter: the hash is over the canonical form.
  ParsedDefinition reformatted = ParseDefinitionText(document.dump(4));
  ASSERT_TRUE(reformatted.definition);
  EXPECT_EQ(reformatted.definition->hash, first.definition->hash);

  json retitled = document;
  retitled["title"] = "Standaard participatieproces (herzien)";
  ParsedDefinition changed = ParseDefinition(retitled);
  ASSERT_TRUE(changed.definition);
  EXPECT_NE(changed.definition->hash, first.definition->hash);

  ParsedDefinition other = ParseDefinition(Workflow(kBeleid));
  ASSERT_TRUE(other.definition);
  EXPECT_NE(other.definition->hash, first.definition->hash);
}

// Collects the JSON Pointer of every value in `value` (the root excluded).
void CollectPointers(const json& value, const std::string& path, std::vector<std::string>& out) {
  if (value.is_object()) {
    for (const auto& [name, member] : value.items()) {
      std::string escaped;
      for (char c : name) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
      const std::string pointer = path + "/" + escaped;
      out.push_back(pointer);
      CollectPointers(member, pointer, out);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string pointer = path + "/" + std::to_string(i);
      out.push_back(pointer);
      CollectPointers(value[i], pointer, out);
    }
  }
}

// Whatever is wrong, a writer can find it: each error names a place in the document (or, for
// a missing member, the place it belongs in an object that is there), and no error is
// reported twice. Every value of the standard workflow (which uses every construct) is in
// turn removed, or replaced by a value of another type.
TEST(DefinitionTest, EveryErrorPathPointsIntoTheDocument) {
  for (const char* key : {kStandard}) {
    const json& original = Workflow(key);
    std::vector<std::string> pointers;
    CollectPointers(original, "", pointers);
    for (const std::string& pointer : pointers) {
      const json::json_pointer at(pointer);
      for (const char* edit : {"remove", "replace"}) {
        json document = original;
        if (edit == std::string("remove")) {
          json& parent = document.at(at.parent_pointer());
          if (parent.is_array()) {
            parent.erase(std::stoul(at.back()));
          } else {
            parent.erase(at.back());
          }
        } else {
          document[at] = original[at].is_number() ? json("x") : json(7);
        }
        SCOPED_TRACE(std::string(key) + ": " + edit + " " + pointer);
        ParsedDefinition parsed = ParseDefinition(document);
        EXPECT_NE(parsed.definition.has_value(), !parsed.errors.empty());
        for (std::size_t i = 0; i < parsed.errors.size(); ++i) {
          const DefinitionError& error = parsed.errors[i];
          const json::json_pointer path(error.path);
          EXPECT_TRUE(document.contains(path) ||
                      (error.message == "ontbreekt" && document.contains(path.parent_pointer())))
              << "error at \"" << error.path << "\": " << error.message;
          for (std::size_t j = 0; j < i; ++j) {
            EXPECT_FALSE(parsed.errors[j].path == error.path &&
                         parsed.errors[j].message == error.message)
                << "reported twice: " << error.path << ": " << error.message;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace navolg

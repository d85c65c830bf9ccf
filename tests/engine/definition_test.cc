// Workflow definitions are validated once, at load: each broken definition of the shared
// corpus (tests/workflows/broken.json) is a real workflow file with one small edit (a JSON
// Patch, RFC 6902), and must be rejected with every problem named by its JSON Pointer and a
// Dutch message.
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

// The shared corpus (tests/workflows/README.md): broken definitions that this parser and
// validator must refuse exactly as each case says, and valid variants they must accept. The
// Node schema test reads the same files, so workflows/schema.json and the C++ agree on every
// case, or the case says why the schema cannot see the mistake.
struct CorpusCase {
  std::string name;
  std::string workflow;
  json patch;  // RFC 6902
  std::vector<ExpectedError> errors;
};

void PrintTo(const CorpusCase& c, std::ostream* os) { *os << c.workflow << " + " << c.patch; }

std::vector<CorpusCase> ReadCorpus(const std::string& file) {
  const json corpus = json::parse(ReadRepoFile("tests/workflows/" + file));
  std::vector<CorpusCase> cases;
  for (const json& entry : corpus.at("cases")) {
    CorpusCase c{entry.at("name"), entry.at("workflow"), entry.at("patch"), {}};
    for (const json& error : entry.value("errors", json::array())) {
      c.errors.push_back({error.at("path"), error.at("message")});
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

std::string CaseName(const ::testing::TestParamInfo<CorpusCase>& param_info) {
  return param_info.param.name;
}

class DefinitionBrokenTest : public ::testing::TestWithParam<CorpusCase> {};

TEST_P(DefinitionBrokenTest, IsRejectedAtItsPath) {
  const CorpusCase& c = GetParam();
  ASSERT_FALSE(c.errors.empty()) << "a broken case names the errors it must cause";
  ExpectExactly(ParseDefinition(Workflow(c.workflow).patch(c.patch)), c.errors);
}

INSTANTIATE_TEST_SUITE_P(DefinitionBroken, DefinitionBrokenTest,
                         ::testing::ValuesIn(ReadCorpus("broken.json")), CaseName);

class DefinitionValidTest : public ::testing::TestWithParam<CorpusCase> {};

TEST_P(DefinitionValidTest, IsAccepted) {
  const CorpusCase& c = GetParam();
  ParsedDefinition parsed = ParseDefinition(Workflow(c.workflow).patch(c.patch));
  EXPECT_TRUE(parsed.definition.has_value()) << Describe(parsed.errors);
}

INSTANTIATE_TEST_SUITE_P(DefinitionValid, DefinitionValidTest,
                         ::testing::ValuesIn(ReadCorpus("valid.json")), CaseName);

TEST(DefinitionTest, RealWorkflowsAreValid) {
  for (const char* key : {kStandard, kBeleid}) {
    SCOPED_TRACE(key);
    ParsedDefinition parsed =
        ParseDefinitionText(ReadRepoFile(std::string("workflows/") + key + ".json"));
    EXPECT_TRUE(parsed.errors.empty()) << Describe(parsed.errors);
    ASSERT_TRUE(parsed.definition.has_value());
    EXPECT_EQ(parsed.definition->key, key);
    EXPECT_EQ(parsed.definition->version, key == std::string(kStandard) ? 3 : 2);
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
  for (const char* text : {"", "{", "{\"key\": }", "[1, 2,]", "{\"key\": \"x\"} extra",
                           "{\"title\": \"\xff\"}", "{\"version\": 1e400}"}) {
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

// A workflow definition: the states, products, transitions and deadlines of one kind of
// participation process, as read from a JSON file in workflows/ (docs/workflow-format.md).
//
// A Definition exists only in validated form: ParseDefinition checks every reference once,
// so the engine can rely on it (every named state, product and field exists and has the
// right type). Definitions are immutable after parsing and safe to share between threads.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"

namespace navolg {

// kUser: the id of a user of the organisation with `user_role` (the API checks that the user
// exists, is active and has that role before a command is submitted; the engine only sees an id).
enum class FieldType {
  kText,
  kLongtext,
  kDate,
  kInteger,
  kEnum,
  kEnumlist,
  kTextlist,
  kItems,
  kUser,
};

// Text lengths, in characters (code points; engine/text.h). A text, longtext or textlist field
// holds at most its `max_length` (a textlist: per entry); a definition may set it from 1 to
// kHardMaxLength, and a field that does not gets the default of its type.
inline constexpr std::int64_t kHardMaxLength = 100'000;
inline constexpr std::int64_t kDefaultTextLength = 200;
inline constexpr std::int64_t kDefaultLongtextLength = 20'000;
inline constexpr std::int64_t kDefaultTextlistEntryLength = 1'000;
// The default max_length of a field of `type`; 0 for a type that holds no free text.
std::int64_t DefaultMaxLength(FieldType type);

struct FieldSpec {
  std::string key;
  std::string label;  // Dutch, used in messages; defaults to the key
  FieldType type = FieldType::kText;
  bool required = false;
  std::optional<std::int64_t> min;  // integer bounds
  std::optional<std::int64_t> max;
  std::int64_t min_items = 0;        // lists; a required list needs at least one entry anyway
  std::int64_t max_length = 0;       // text, longtext, textlist entries: characters; else 0
  std::vector<std::string> options;  // enum, enumlist
  // enum, enumlist: what a person reads for an option ("enquete" -> "enquête"); an option
  // without a label is shown as its key made readable.
  std::map<std::string, std::string> option_labels;
  std::string user_role;         // user: the role the chosen user has ("adviseur")
  bool not_after_today = false;  // date
  bool generated_id = false;     // text inside items: assigned when absent, unique per process
  // Required unless sibling field `required_unless_field` holds one of these values.
  std::string required_unless_field;
  std::vector<std::string> required_unless_values;
  std::vector<FieldSpec> fields;  // items

  // What a person reads for `option`: its label, or the key with spaces for underscores.
  std::string OptionLabel(const std::string& option) const;
};

struct ProductSpec {
  std::string key;
  std::string title;
  std::vector<std::string> editors;
  bool editable_in_any_open_state = false;
  std::vector<std::string> editable_in;
  bool repeating = false;
  std::optional<std::string> adoption_role;
  std::vector<FieldSpec> fields;

  const FieldSpec* Field(const std::string& key) const;
};

// A reference to a field of a product; for items fields, optionally a field of each item.
struct FieldRef {
  std::string product;
  std::string field;
  std::string item_field;  // empty unless the field is of type items
};

enum class GuardKind {
  kProductComplete,  // product: every instance complete (use kMinCount for "at least one")
  kProductAdopted,   // product: its current version adopted
  kMinCount,         // product (repeating): at least `min` instances
  kAnsweredOnce,     // every id in `ids` answered by exactly one entry of `answers`, none unknown
  kIncludesAll,      // list `list` includes every entry of `must_include`
  kMotivation,       // the command carries a motivation
  kFieldSet,         // product.field has a value (only when `when_product_exists` has instances)
};

struct Guard {
  GuardKind kind = GuardKind::kProductComplete;
  std::string product;
  std::int64_t min = 0;
  std::string field;
  std::string when_product_exists;
  FieldRef ids;           // kAnsweredOnce
  FieldRef answers;       // kAnsweredOnce
  FieldRef list;          // kIncludesAll
  FieldRef must_include;  // kIncludesAll
};

struct TransitionSpec {
  std::string key;
  std::string title;
  bool from_any_open_state = false;
  std::vector<std::string> from;
  std::string to;
  std::vector<std::string> roles;
  bool stops_process = false;
  std::vector<Guard> guards;
};

enum class DurationUnit { kDays, kMonths };

// One term added to a deadline's base date: a constant or an integer product field.
struct DueTerm {
  std::int64_t amount = 0;
  std::optional<FieldRef> field;  // when set, the amount is read from this integer field
  DurationUnit unit = DurationUnit::kDays;
};

struct DeadlineSpec {
  std::string key;
  std::string title;
  std::string starts_on_transition;  // one of these two is set
  std::string starts_on_product_saved;
  // The base date: the latest value of a date field across the product's instances, or,
  // when unset, the Amsterdam calendar date on which the deadline started.
  std::optional<FieldRef> due_from;
  std::vector<DueTerm> due_add;
  std::string met_by_transition;
};

// A cell of the Borgingshuis (domain.md): a level (niveau) by a role (rol).
struct BorgingshuisCell {
  std::string level;  // organisatie, vraagstuk, gesprek
  std::string role;   // bestuur, manager, adviseur
  bool operator==(const BorgingshuisCell&) const = default;
};
const std::vector<std::string>& BorgingshuisLevels();
// The names of the roles that act in processes (engine/role.h), in Role order.
const std::vector<std::string>& BorgingshuisRoles();

enum class CheckKind {
  kAdoptedBefore,    // `product` was adopted on or before the earliest date in `date`
  kAdoptionCurrent,  // the current version of `product` is the adopted one
  kGuards,           // every guard in `guards` holds
  kDeadlineMet,      // every instance of `deadline` was met on or before its due date
  kSavedWithin,      // each instance of date.product was first saved within `days` of `date`
  kStateIn,          // the process is in one of `states`
};

// One check of the zorgvuldigheidsrapport ("checks" in docs/workflow-format.md). A check
// applies once one of `due_after` was taken (always, when empty) and, when set, once
// `when_product_exists` has an instance; before that it is niet_van_toepassing.
struct CheckSpec {
  std::string key;
  std::string title;
  BorgingshuisCell cell;
  CheckKind kind = CheckKind::kGuards;
  std::vector<std::string> due_after;
  std::string when_product_exists;
  std::string product;              // kAdoptedBefore, kAdoptionCurrent
  FieldRef date;                    // kAdoptedBefore, kSavedWithin: a date field
  std::int64_t days = 0;            // kSavedWithin
  std::vector<Guard> guards;        // kGuards (no motivation guard: there is no command)
  std::string deadline;             // kDeadlineMet
  std::vector<std::string> states;  // kStateIn
};

// Where evaluations record improvement points (verbeterpunten), each placed in a cell: an
// items field whose items hold a text and the level and role of their cell.
struct ImprovementPointsSpec {
  FieldRef items;
  std::string text_field;
  std::string level_field;
  std::string role_field;
};

struct Definition {
  std::string key;
  std::int64_t version = 0;
  std::string title;
  std::string hash;                 // SHA-256 of the canonical JSON of the source document
  std::vector<std::string> states;  // in document order
  std::map<std::string, std::string> state_titles;
  std::string start_state;
  std::vector<std::string> end_states;
  std::vector<ProductSpec> products;
  std::vector<TransitionSpec> transitions;
  std::vector<DeadlineSpec> deadlines;
  std::vector<CheckSpec> checks;
  std::optional<ImprovementPointsSpec> improvement_points;
  // The user (or text) field that holds the user id a process is assigned to ("assignee");
  // unset when the definition names none. Its current value is CurrentAssignee (assignee.h).
  std::optional<FieldRef> assignee;
  nlohmann::json source;  // the document as given, for clients

  bool IsEndState(const std::string& state) const;
  bool HasState(const std::string& state) const;
  const ProductSpec* Product(const std::string& key) const;
  const TransitionSpec* Transition(const std::string& key) const;
  const DeadlineSpec* Deadline(const std::string& key) const;
  bool TransitionLeaves(const TransitionSpec& t, const std::string& state) const;
  bool ProductEditableIn(const ProductSpec& p, const std::string& state) const;
};

// One problem found while validating a definition, located by JSON Pointer (RFC 6901).
struct DefinitionError {
  std::string path;     // e.g. "/transitions/3/guards/0/product"
  std::string message;  // Dutch
};

// Parses and fully validates a definition. On failure, every problem found is listed (not
// only the first), each with the JSON path of the element at fault.
struct ParsedDefinition {
  std::optional<Definition> definition;
  std::vector<DefinitionError> errors;
};
ParsedDefinition ParseDefinition(const nlohmann::json& document);
// Same, from text (reports invalid JSON as an error at path "").
ParsedDefinition ParseDefinitionText(const std::string& text);

const char* FieldTypeName(FieldType type);

}  // namespace navolg

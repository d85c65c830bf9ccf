// The participatieverslag of a process: the report Dutch public bodies publish on how the
// public took part (Omgevingswet: art. 10.2 lid 2 Omgevingsbesluit, art. 7.4
// Omgevingsregeling): who was involved and how, what they brought in, what was done with each
// point and why, and the decision. This is its content, built from the process's products
// and nothing else; api/ renders it as HTML and as Markdown.
//
// Generic: every part follows from the definition. Who was involved: the instances of each
// repeating product (one table row per gespreksverslag). The input and the response to each
// point: for each answered_once guard, every id of `ids` with its item's other fields and
// the answers naming it. The products, the decision among them: every saved product in
// definition order with its labelled fields. All texts are ready to print (Dutch dates, times
// as the clock in Amsterdam shows them, enum options by their labels, users by their names)
// and still unescaped: renderers escape.
//
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/calendar.h"
#include "engine/definition.h"
#include "engine/event_description.h"
#include "engine/process_state.h"

namespace navolg {

struct VerslagTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // one text per column
};

// One field of a product instance that has a value.
struct VerslagField {
  std::string label;
  std::vector<std::string> values;    // one for a single value (may hold line breaks)
  bool is_list = false;               // enumlist, textlist: one value per entry
  std::optional<VerslagTable> table;  // items: one row per item
  // Items shown in a response table instead (VerslagResponses): `values` is empty and
  // this is their number.
  std::optional<std::int64_t> answered_elsewhere;
};

struct VerslagProduct {
  std::string key;
  std::string title;   // "Kadernotitie", or "Gespreksverslag 2" for a repeating product
  std::string status;  // version, when it was saved and, with adoption, whether it is adopted
  std::vector<VerslagField> fields;  // in definition order, those with a value
};

// Who was involved and how: one repeating product, one row per instance.
struct VerslagInvolvement {
  std::string title;  // the product's title
  VerslagTable table;
};

// The points of input of one answered_once guard and the response to each.
struct VerslagResponses {
  std::string title;  // the label of the answers field ("Reacties op de inbreng")
  VerslagTable table;
  std::int64_t points = 0;    // ids found
  std::int64_t answered = 0;  // ids with at least one answer
};

struct Participatieverslag {
  std::string process_id;
  std::string title;
  std::string workflow_title;
  std::int64_t workflow_version = 0;
  std::string state_title;
  std::string status;        // "Het proces loopt; huidige fase: Besluit." or when it ended
  std::string generated_on;  // `now` in Dutch: "28 december 2026 14:05" (Amsterdam)
  std::vector<VerslagInvolvement> involvement;
  std::vector<VerslagResponses> responses;
  std::vector<VerslagProduct> products;
};

// `names`: user id -> name, for the values of user fields (an id without a name stays as it is).
Participatieverslag BuildParticipatieverslag(const Definition& definition,
                                             const ProcessState& state, Time now,
                                             const UserNames& names = {});

}  // namespace navolg

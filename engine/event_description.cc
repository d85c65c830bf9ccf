#include "engine/event_description.h"

namespace navolg {
namespace {

using nlohmann::json;

// The string member `name` of `data`, or "" when it is absent or not a string.
std::string Text(const json& data, const char* name) {
  const auto it = data.find(name);
  return it != data.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string Number(const json& data, const char* name) {
  const auto it = data.find(name);
  return it != data.end() && it->is_number_integer() ? std::to_string(it->get<std::int64_t>())
                                                     : "?";
}

// A date member ("2026-11-15") as a Dutch reader writes it ("15 november 2026"); as stored when
// it is not a date.
std::string DateText(const json& data, const char* name) {
  const std::string text = Text(data, name);
  const auto date = ParseDate(text);
  return date ? DutchDate(*date) : text;
}

std::string StateTitle(const Definition& definition, const std::string& key) {
  const auto it = definition.state_titles.find(key);
  return it != definition.state_titles.end() ? it->second : key;
}

// "Kadernotitie", or "Gespreksverslag 2" for an instance of a repeating product.
std::string ProductTitle(const Definition& definition, const json& data) {
  const std::string key = Text(data, "product");
  const ProductSpec* product = definition.Product(key);
  if (product == nullptr) return key;
  return product->repeating ? product->title + " " + Number(data, "instance") : product->title;
}

std::string DeadlineTitle(const Definition& definition, const json& data) {
  const std::string key = Text(data, "deadline");
  for (const DeadlineSpec& deadline : definition.deadlines) {
    if (deadline.key == key) return deadline.title;
  }
  return key;
}

std::string Motivation(const json& data) {
  const std::string motivation = Text(data, "motivatie");
  return motivation.empty() ? "" : " (motivering: " + motivation + ")";
}

std::string Person(const UserNames& names, const std::string& id) {
  const auto it = names.find(id);
  return it != names.end() ? it->second : id;
}

// " (toelichting: ...)" for the free text `member`, or "" when there is none.
std::string Note(const json& data, const char* member, const char* label) {
  const std::string text = Text(data, member);
  return text.empty() ? "" : std::string(" (") + label + ": " + text + ")";
}

}  // namespace

std::string DescribeEvent(const Event& event, const Definition& definition,
                          const UserNames& names) {
  static const json kNoData = json::object();
  const json& d = event.data.is_object() ? event.data : kNoData;
  const std::string& type = event.type;
  if (type == "process.created") return "Proces aangemaakt: " + Text(d, "title");
  if (type == "product.saved") {
    const std::string voided =
        d.contains("voids_adoption_of")
            ? "; de vaststelling van versie " + Number(d, "voids_adoption_of") + " vervalt"
            : "";
    return ProductTitle(definition, d) + " opgeslagen (versie " + Number(d, "version") + ")" +
           voided;
  }
  if (type == "product.adopted") {
    return ProductTitle(definition, d) + " vastgesteld (versie " + Number(d, "version") + ")";
  }
  if (type == "product.offered") {
    return ProductTitle(definition, d) + " ter vaststelling aangeboden (versie " +
           Number(d, "version") + ")";
  }
  if (type == "transition.taken") {
    return "Stap gezet: " + StateTitle(definition, Text(d, "from")) + " → " +
           StateTitle(definition, Text(d, "to")) + Motivation(d);
  }
  if (type == "process.stopped") return "Proces gestopt" + Motivation(d);
  if (type == "process.handed_over") {
    const std::string from = Text(d, "from");
    return "Proces overgedragen" + (from.empty() ? "" : " van " + Person(names, from)) + " aan " +
           Person(names, Text(d, "to")) + Note(d, "toelichting", "toelichting");
  }
  const std::string deadline = DeadlineTitle(definition, d);
  if (type == "deadline.started") {
    return "Termijn gestart: " + deadline + ", uiterlijk " + DateText(d, "due");
  }
  if (type == "deadline.met") return "Termijn gehaald: " + deadline;
  if (type == "deadline.missed") {
    return "Termijn verlopen: " + deadline + " (uiterlijk " + DateText(d, "due") + ")";
  }
  if (type == "deadline.cancelled") return "Termijn vervallen: " + deadline;
  if (type == "deadline.reminded") {
    return "Herinnering aan " + Person(names, Text(d, "to")) + ": " + deadline + ", uiterlijk " +
           DateText(d, "due") + Note(d, "bericht", "bericht");
  }
  if (type == "deadline.rescheduled") {
    return "Termijn verzet: " + deadline + ", nu uiterlijk " + DateText(d, "due");
  }
  return type;
}

}  // namespace navolg

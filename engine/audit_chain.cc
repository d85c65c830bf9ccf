#include "engine/audit_chain.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <string_view>
#include <utility>

#include "engine/calendar.h"
#include "engine/canonical_json.h"
#include "engine/sha256.h"

namespace navolg {
namespace {

using Json = nlohmann::json;
using std::string_view_literals::operator""sv;

Status Invalid(std::string message) { return Status(Code::kInvalidArgument, std::move(message)); }

// `at` is written with a four-digit year, the only kind ParseTime reads back.
constexpr date::sys_days kFirstWritableDay = date::sys_days(date::year{0} / 1 / 1);
constexpr date::sys_days kFirstUnwritableDay = date::sys_days(date::year{10000} / 1 / 1);

void PutDigits(char* end, int width, unsigned value) {
  for (int i = 1; i <= width; ++i, value /= 10) *(end - i) = static_cast<char>('0' + value % 10);
}

// Appends exactly what FormatTime writes ("2026-11-28T17:00:00.000Z"), without the stream
// FormatTime goes through: formatting `at` would otherwise cost more than hashing the event.
bool AppendTime(Time t, std::string& out) {
  if (t < kFirstWritableDay || t >= kFirstUnwritableDay) return false;
  const date::sys_days day = date::floor<date::days>(t);
  const date::year_month_day ymd(day);
  const auto ms = static_cast<unsigned>((t - day).count());  // 0 .. 86'399'999
  char text[] = "0000-00-00T00:00:00.000Z";
  PutDigits(text + 4, 4, static_cast<unsigned>(static_cast<int>(ymd.year())));
  PutDigits(text + 7, 2, static_cast<unsigned>(ymd.month()));
  PutDigits(text + 10, 2, static_cast<unsigned>(ymd.day()));
  PutDigits(text + 13, 2, ms / 3'600'000);
  PutDigits(text + 16, 2, ms / 60'000 % 60);
  PutDigits(text + 19, 2, ms / 1'000 % 60);
  PutDigits(text + 23, 3, ms % 1'000);
  out.append(text, sizeof text - 1);
  return true;
}

// Writes the event's members in RFC 8785 order (UTF-16 order of the ASCII member names);
// `hash` only when given.
Status WriteEvent(const Event& e, const std::string* hash, std::string& out) {
  if (!e.data.is_object()) return Invalid("event data is not an object");
  if (e.seq < -kMaxSafeInteger || e.seq > kMaxSafeInteger) {
    return Invalid("event seq is outside +-(2^53 - 1)");
  }
  const auto append_string = [&out](std::string_view text) {
    return AppendCanonicalString(text, out).ok();
  };
  out.append(R"({"actor":{"role":)"sv);
  if (!append_string(e.actor.role)) return Invalid("event actor.role is not valid UTF-8");
  out.append(R"(,"user":)"sv);
  if (!append_string(e.actor.user)) return Invalid("event actor.user is not valid UTF-8");
  out.append(R"(},"at":")"sv);
  if (!AppendTime(e.at, out)) return Invalid("event at lies outside the years 0000..9999");
  out.append(R"(","data":)"sv);
  if (Status status = AppendCanonical(e.data, out); !status.ok()) {
    return Invalid("event data: " + status.message());
  }
  if (hash != nullptr) {
    out.append(R"(,"hash":)"sv);
    if (!append_string(*hash)) return Invalid("event hash is not valid UTF-8");
  }
  out.append(R"(,"prev":)"sv);
  if (!append_string(e.prev)) return Invalid("event prev is not valid UTF-8");
  out.append(R"(,"process_id":)"sv);
  if (!append_string(e.process_id)) return Invalid("event process_id is not valid UTF-8");
  out.append(R"(,"seq":)"sv);
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, e.seq).ptr);
  out.append(R"(,"type":)"sv);
  if (!append_string(e.type)) return Invalid("event type is not valid UTF-8");
  out.push_back('}');
  return Status::Ok();
}

// Writing into a per-thread buffer that keeps its capacity and copying the result once is
// cheaper than growing a fresh string (the size of `data` is not known in advance).
Result<std::string> Serialise(const Event& e, const std::string* hash) {
  constexpr std::size_t kMaxRetainedCapacity = 64 * 1024;
  thread_local std::string buffer;
  buffer.clear();
  Status status = WriteEvent(e, hash, buffer);
  std::string out = status.ok() ? buffer : std::string();
  if (buffer.capacity() > kMaxRetainedCapacity) std::string().swap(buffer);
  if (!status.ok()) return status;
  return out;
}

bool IsLowerHex64(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A member name as it may appear in a message: quoted and escaped like JSON.
std::string Quote(std::string_view name) {
  std::string quoted;
  if (!AppendCanonicalString(name, quoted).ok()) return "(naam in ongeldige UTF-8)";
  return quoted;
}

const Json* FindMember(const Json::object_t& members, const char* name) {
  auto it = members.find(name);
  return it == members.end() ? nullptr : &it->second;
}

const Json* StringMember(const Json::object_t& members, const char* name) {
  const Json* value = FindMember(members, name);
  return value != nullptr && value->is_string() ? value : nullptr;
}

// Format checks for EventFromJson. Returns the Dutch reason, or an empty string if `j` is
// well-formed.
std::string FormatProblem(const Json& j) {
  static constexpr std::array<const char*, 8> kMembers = {"actor", "at",         "data", "hash",
                                                          "prev",  "process_id", "seq",  "type"};
  if (!j.is_object()) return "een gebeurtenis moet een JSON-object zijn";
  const auto& members = *j.get_ptr<const Json::object_t*>();
  for (const auto& member : members) {
    bool known = false;
    for (const char* name : kMembers) known = known || member.first == name;
    if (!known) return "onbekend lid " + Quote(member.first);
  }
  for (const char* name : kMembers) {
    if (FindMember(members, name) == nullptr) return "het lid " + Quote(name) + " ontbreekt";
  }
  const Json& actor = *FindMember(members, "actor");
  if (!actor.is_object() || actor.size() != 2 ||
      StringMember(*actor.get_ptr<const Json::object_t*>(), "role") == nullptr ||
      StringMember(*actor.get_ptr<const Json::object_t*>(), "user") == nullptr) {
    return R"("actor" moet een object zijn met precies de leden "role" en "user", beide tekst)";
  }
  const Json* at = StringMember(members, "at");
  if (at == nullptr || !ParseTime(at->get_ref<const std::string&>()).has_value()) {
    return R"("at" moet een tijdstip in UTC zijn in de vorm "2026-11-28T17:00:00.000Z")";
  }
  if (!FindMember(members, "data")->is_object()) return R"("data" moet een object zijn)";
  for (const char* name : {"hash", "prev"}) {
    const Json* value = StringMember(members, name);
    if (value == nullptr || !IsLowerHex64(value->get_ref<const std::string&>())) {
      return Quote(name) + " moet 64 hexadecimale tekens zijn (0-9, a-f)";
    }
  }
  if (StringMember(members, "process_id") == nullptr) return R"("process_id" moet tekst zijn)";
  const Json& seq = *FindMember(members, "seq");
  const bool seq_ok =
      seq.is_number_unsigned()
          ? seq.get<std::uint64_t>() >= 1 &&
                seq.get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxSafeInteger)
          : seq.is_number_integer() && seq.get<std::int64_t>() >= 1 &&
                seq.get<std::int64_t>() <= kMaxSafeInteger;
  if (!seq_ok) return R"("seq" moet een geheel getal zijn van 1 tot en met 9007199254740991)";
  if (StringMember(members, "type") == nullptr) return R"("type" moet tekst zijn)";
  return "";
}

// Checks one line against the chain so far. Returns the Dutch reason (without the line
// number), or an empty string if the line is a good next event; then `event` holds it.
std::string LineProblem(const std::string& line, std::int64_t line_number,
                        const VerifyReport& so_far, Event& event) {
  if (!line.empty() && line.back() == '\r') {
    return "de regel eindigt op een CR-teken (Windows-regeleinde); het formaat gebruikt alleen "
           "LF";
  }
  // A deep line is refused before parsing: nlohmann copies values recursively. The event
  // object itself is one level.
  if (!NestingWithin(line, kMaxNestingDepth + 1)) {
    return "de regel is dieper genest dan " + std::to_string(kMaxNestingDepth + 1) + " niveaus";
  }
  Json j;
  try {
    j = Json::parse(line);
  } catch (const Json::exception& error) {
    const auto* parse_error = dynamic_cast<const Json::parse_error*>(&error);
    return "de regel is geen geldige JSON" +
           (parse_error ? " (fout bij byte " + std::to_string(parse_error->byte) + ")" : "");
  }
  Result<Event> parsed = EventFromJson(j);
  if (!parsed.ok()) return parsed.status().message();
  event = std::move(parsed).value();

  Result<std::string> canonical_line = ExportLine(event);
  if (!canonical_line.ok()) {
    return "data bevat een waarde die het formaat niet toestaat (" +
           canonical_line.status().message() + ")";
  }
  if (*canonical_line != line) {
    const auto mismatch =
        std::mismatch(line.begin(), line.end(), canonical_line->begin(), canonical_line->end());
    return "de regel staat niet in de canonieke vorm van RFC 8785 (eerste afwijking bij byte " +
           std::to_string(mismatch.first - line.begin() + 1) + ")";
  }
  if (event.seq != line_number) {
    return "volgnummer ontbreekt of staat op de verkeerde plaats (verwacht seq " +
           std::to_string(line_number) + ", gevonden seq " + std::to_string(event.seq) + ")";
  }
  if (line_number > 1 && event.process_id != so_far.process_id) {
    return "process_id wijkt af van regel 1 (verwacht " + Quote(so_far.process_id) + ", gevonden " +
           Quote(event.process_id) + ")";
  }
  if (line_number == 1 && event.prev != GenesisHash()) {
    return "prev van de eerste gebeurtenis moet 64 nullen zijn (gevonden " + event.prev + ")";
  }
  if (line_number > 1 && event.prev != so_far.head_hash) {
    return "prev is niet de hash van regel " + std::to_string(line_number - 1) + " (verwacht " +
           so_far.head_hash + ", gevonden " + event.prev + ")";
  }
  Result<std::string> canonical = CanonicalEvent(event);
  const std::string computed = Sha256Hex(*canonical);  // ExportLine succeeded, so this did too
  if (computed != event.hash) {
    return "de hash klopt niet (berekend " + computed + ", in het bestand " + event.hash + ")";
  }
  return "";
}

}  // namespace

Result<std::string> CanonicalEvent(const Event& e) { return Serialise(e, nullptr); }

Result<std::string> ExportLine(const Event& e) { return Serialise(e, &e.hash); }

Status SealEvent(Event& e) {
  if (e.seq < 1) return Invalid("event seq must be at least 1");
  if (!IsLowerHex64(e.prev)) return Invalid("event prev is not 64 lowercase hex digits");
  Result<std::string> canonical = CanonicalEvent(e);
  if (!canonical.ok()) return canonical.status();
  e.hash = Sha256Hex(*canonical);
  return Status::Ok();
}

nlohmann::json EventToJson(const Event& e) {
  Json j = Json::object();
  j["actor"] = Json::object({{"role", e.actor.role}, {"user", e.actor.user}});
  j["at"] = FormatTime(e.at);
  j["data"] = e.data;
  j["hash"] = e.hash;
  j["prev"] = e.prev;
  j["process_id"] = e.process_id;
  j["seq"] = e.seq;
  j["type"] = e.type;
  return j;
}

Result<Event> EventFromJson(const nlohmann::json& j) {
  if (std::string problem = FormatProblem(j); !problem.empty()) return Invalid(problem);
  // FormatProblem found every member present and of the right type.
  const auto& members = *j.get_ptr<const Json::object_t*>();
  const auto text = [&members](const char* name) {
    return FindMember(members, name)->get<std::string>();
  };
  const auto& actor = *FindMember(members, "actor")->get_ptr<const Json::object_t*>();
  Event e;
  e.seq = FindMember(members, "seq")->get<std::int64_t>();
  e.process_id = text("process_id");
  e.type = text("type");
  e.at = *ParseTime(text("at"));
  e.actor.user = FindMember(actor, "user")->get<std::string>();
  e.actor.role = FindMember(actor, "role")->get<std::string>();
  e.data = *FindMember(members, "data");
  e.prev = text("prev");
  e.hash = text("hash");
  return e;
}

VerifyReport VerifyExport(std::istream& in) {
  VerifyReport report;
  std::string line;
  std::int64_t line_number = 0;
  const auto fail = [&report](std::int64_t bad_line, std::string reason) {
    report.bad_line = bad_line;
    report.reason = std::move(reason);
    return report;
  };
  while (std::getline(in, line)) {
    ++line_number;
    // getline stops at end of file without a "\n" only on a last line that lacks one.
    if (in.eof()) {
      return fail(line_number, "regel " + std::to_string(line_number) +
                                   ": het bestand is afgebroken (de laatste regel eindigt niet "
                                   "op een regeleinde)");
    }
    Event event;
    std::string problem = LineProblem(line, line_number, report, event);
    if (!problem.empty()) {
      return fail(line_number, "regel " + std::to_string(line_number) + ": " + problem);
    }
    if (line_number == 1) report.process_id = event.process_id;
    report.events = line_number;
    report.head_hash = std::move(event.hash);
  }
  if (in.bad()) {
    return fail(line_number + 1, "regel " + std::to_string(line_number + 1) +
                                     ": het bestand kon niet verder worden gelezen");
  }
  if (line_number == 0) return fail(1, "het bestand bevat geen gebeurtenissen");
  report.intact = true;
  return report;
}

}  // namespace navolg

#include "engine/audit_chain.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstddef>
#include <sstream>
#include <string_view>
#include <utility>

#include "engine/calendar.h"
#include "engine/canonical_json.h"
#include "engine/json_text.h"
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

// Reads one line as JSON. Returns the Dutch reason (without the line number), or an empty
// string if the line is JSON; then `j` holds it.
std::string ParseLine(const std::string& line, Json& j) {
  if (!line.empty() && line.back() == '\r') {
    return "de regel eindigt op een CR-teken (Windows-regeleinde); het formaat gebruikt alleen "
           "LF";
  }
  // The event object itself is one level around the data's kMaxNestingDepth.
  JsonText parsed = ParseJsonText(line, kMaxNestingDepth + 1);
  switch (parsed.fault) {
    case JsonTextFault::kNone:
      j = std::move(parsed.value);
      return "";
    case JsonTextFault::kTooDeep:
      return "de regel is dieper genest dan " + std::to_string(kMaxNestingDepth + 1) + " niveaus";
    case JsonTextFault::kInvalid:
      break;
  }
  if (!parsed.error_offset) return "de regel is geen geldige JSON";
  return "de regel is geen geldige JSON (fout bij byte " +
         std::to_string(*parsed.error_offset + 1) + ")";
}

// Where a line differs from its canonical form, for a message: the first differing byte.
std::string FirstDifference(const std::string& line, const std::string& canonical) {
  const auto mismatch = std::mismatch(line.begin(), line.end(), canonical.begin(), canonical.end());
  return std::to_string(mismatch.first - line.begin() + 1);
}

// Checks one event line (parsed into `j`) against the chain so far. Returns the Dutch reason
// (without the line number), or an empty string if the line is a good next event; then
// `event` holds it.
std::string EventProblem(const std::string& line, const Json& j, std::int64_t line_number,
                         const VerifyReport& so_far, Event& event) {
  Result<Event> parsed = EventFromJson(j);
  if (!parsed.ok()) return parsed.status().message();
  event = std::move(parsed).value();

  Result<std::string> canonical_line = ExportLine(event);
  if (!canonical_line.ok()) {
    return "data bevat een waarde die het formaat niet toestaat (" +
           canonical_line.status().message() + ")";
  }
  if (*canonical_line != line) {
    return "de regel staat niet in de canonieke vorm van RFC 8785 (eerste afwijking bij byte " +
           FirstDifference(line, *canonical_line) + ")";
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
  Result<std::string> canonical = CanonicalEvent(event);  // ExportLine succeeded, so this does
  Result<std::string> computed = Sha256Hex(*canonical);
  if (!computed.ok()) {
    return "de hash kon niet worden berekend (" + computed.status().message() + ")";
  }
  if (*computed != event.hash) {
    return "de hash klopt niet (berekend " + *computed + ", in het bestand " + event.hash + ")";
  }
  return "";
}

// Checks a checkpoint line (parsed into `j`) against the chain before it. Returns the Dutch
// reason (without the line number), or an empty string if it is a good checkpoint of that
// chain; then `checkpoint` holds it.
std::string CheckpointProblem(const std::string& line, const Json& j, const VerifyReport& so_far,
                              Checkpoint& checkpoint) {
  Result<Checkpoint> parsed = CheckpointFromJson(j);
  if (!parsed.ok()) return parsed.status().message();
  checkpoint = std::move(parsed).value();
  Result<std::string> canonical_line = CheckpointLine(checkpoint);
  if (!canonical_line.ok()) {
    return "het checkpoint bevat een waarde die het formaat niet toestaat (" +
           canonical_line.status().message() + ")";
  }
  if (*canonical_line != line) {
    return "het checkpoint staat niet in de canonieke vorm van RFC 8785 (eerste afwijking bij "
           "byte " +
           FirstDifference(line, *canonical_line) + ")";
  }
  if (so_far.events == 0) {
    return "een checkpoint moet volgen op de gebeurtenissen die het ondertekent, maar er gaat "
           "geen gebeurtenis aan vooraf";
  }
  if (checkpoint.process_id != so_far.process_id) {
    return "het checkpoint hoort bij proces " + Quote(checkpoint.process_id) +
           ", de gebeurtenissen bij proces " + Quote(so_far.process_id);
  }
  if (checkpoint.seq != so_far.events) {
    return "het checkpoint ondertekent de keten tot en met seq " + std::to_string(checkpoint.seq) +
           ", maar de laatste gebeurtenis in het bestand heeft seq " +
           std::to_string(so_far.events) + " (gebeurtenissen weggelaten of toegevoegd)";
  }
  if (checkpoint.head != so_far.head_hash) {
    return "het checkpoint ondertekent hash " + checkpoint.head +
           ", maar de laatste gebeurtenis heeft hash " + so_far.head_hash +
           " (de keten is herschreven)";
  }
  return "";
}

VerifyReport Verify(std::istream& in, const PublicKey* key) {
  VerifyReport report;
  std::string line;
  std::int64_t line_number = 0;
  std::int64_t checkpoint_line = 0;
  Checkpoint checkpoint;
  const auto fail = [&report](std::int64_t bad_line, std::string reason) {
    report.bad_line = bad_line;
    report.reason = "regel " + std::to_string(bad_line) + ": " + std::move(reason);
    return report;
  };
  while (std::getline(in, line)) {
    ++line_number;
    // getline stops at end of file without a "\n" only on a last line that lacks one.
    if (in.eof()) {
      return fail(line_number,
                  "het bestand is afgebroken (de laatste regel eindigt niet op een regeleinde)");
    }
    if (checkpoint_line != 0) {
      return fail(line_number, "na het checkpoint op regel " + std::to_string(checkpoint_line) +
                                   " mag geen regel meer volgen");
    }
    Json j;
    if (std::string problem = ParseLine(line, j); !problem.empty()) {
      return fail(line_number, std::move(problem));
    }
    if (IsCheckpointObject(j)) {
      std::string problem = CheckpointProblem(line, j, report, checkpoint);
      if (!problem.empty()) return fail(line_number, std::move(problem));
      checkpoint_line = line_number;
      continue;
    }
    Event event;
    std::string problem = EventProblem(line, j, line_number, report, event);
    if (!problem.empty()) return fail(line_number, std::move(problem));
    if (line_number == 1) report.process_id = event.process_id;
    report.events = line_number;
    report.head_hash = std::move(event.hash);
  }
  if (in.bad()) return fail(line_number + 1, "het bestand kon niet verder worden gelezen");
  if (line_number == 0) {
    report.bad_line = 1;
    report.reason = "het bestand bevat geen gebeurtenissen";
    return report;
  }
  if (key != nullptr) {
    if (checkpoint_line == 0) {
      return fail(line_number + 1,
                  "het ondertekende checkpoint ontbreekt; met een openbare sleutel moet de "
                  "export eindigen met een checkpoint dat met die sleutel is ondertekend");
    }
    if (Status verified = VerifyCheckpoint(checkpoint, *key); !verified.ok()) {
      return fail(checkpoint_line, verified.message());
    }
    report.signature_verified = true;
  }
  if (checkpoint_line != 0) report.checkpoint = std::move(checkpoint);
  report.intact = true;
  return report;
}

}  // namespace

Result<std::string> CanonicalEvent(const Event& e) { return Serialise(e, nullptr); }

Result<std::string> ExportLine(const Event& e) { return Serialise(e, &e.hash); }

Status SealEvent(Event& e) {
  if (e.seq < 1) return Invalid("event seq must be at least 1");
  if (!IsLowerHex64(e.prev)) return Invalid("event prev is not 64 lowercase hex digits");
  Result<std::string> canonical = CanonicalEvent(e);
  if (!canonical.ok()) return canonical.status();
  Result<std::string> hash = Sha256Hex(*canonical);
  if (!hash.ok()) return hash.status();
  e.hash = std::move(hash).value();
  return Status::Ok();
}

Status VerifySeal(const Event& e) {
  Result<std::string> canonical = CanonicalEvent(e);
  if (!canonical.ok()) {
    return Status(Code::kDataLoss,
                  "gebeurtenis " + std::to_string(e.seq) +
                      " is niet in de vorm van het trail: " + canonical.status().message());
  }
  Result<std::string> hash = Sha256Hex(*canonical);
  if (!hash.ok()) return hash.status();
  if (*hash != e.hash) {
    return Status(Code::kDataLoss, "gebeurtenis " + std::to_string(e.seq) +
                                       ": de hash klopt niet (berekend " + *hash + ", opgeslagen " +
                                       e.hash + ")");
  }
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

VerifyReport VerifyExport(std::istream& in) { return Verify(in, nullptr); }

VerifyReport VerifyExport(std::istream& in, const PublicKey& key) { return Verify(in, &key); }

Result<std::string> CheckpointLineForExport(const std::string& export_text, const SigningKey& key,
                                            Time at) {
  std::istringstream in(export_text);
  const VerifyReport report = VerifyExport(in);
  if (!report.intact) {
    return Status(Code::kDataLoss, "het opgeslagen audittrail is niet intact (" + report.reason +
                                       "); navolg ondertekent het daarom niet");
  }
  if (report.checkpoint) {
    return Status(Code::kDataLoss, "de export eindigt al met een checkpoint");
  }
  Result<Checkpoint> checkpoint =
      SignCheckpoint(key, report.process_id, report.events, report.head_hash, at);
  if (!checkpoint.ok()) return checkpoint.status();
  Result<std::string> line = CheckpointLine(*checkpoint);
  if (!line.ok()) return line.status();
  return *line + "\n";
}

Result<EarlierHead> ReadEarlierHead(const std::string& text) {
  const JsonText whole = ParseJsonText(text, kMaxNestingDepth + 1);
  if (whole.fault == JsonTextFault::kNone && IsCheckpointObject(whole.value)) {
    Result<Checkpoint> checkpoint = CheckpointFromJson(whole.value);
    if (!checkpoint.ok()) {
      return Status(Code::kInvalidArgument,
                    "het oudere checkpoint is ongeldig: " + checkpoint.status().message());
    }
    return EarlierHead{checkpoint->process_id, checkpoint->seq, checkpoint->head, *checkpoint};
  }
  std::istringstream in(text);
  const VerifyReport report = VerifyExport(in);
  if (!report.intact) {
    return Status(Code::kInvalidArgument,
                  "is geen checkpoint en geen intacte export (" + report.reason + ")");
  }
  return EarlierHead{report.process_id, report.events, report.head_hash, report.checkpoint};
}

Status VerifySince(const std::string& export_text, const EarlierHead& earlier) {
  const auto failed = [](const std::string& why) { return Status(Code::kFailedPrecondition, why); };
  std::int64_t seq = 0;
  std::size_t start = 0;
  std::string process_id;
  while (start < export_text.size()) {
    const std::size_t end = export_text.find('\n', start);
    const std::string line =
        export_text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? export_text.size() : end + 1;
    Json parsed;
    if (!ParseLine(line, parsed).empty() || IsCheckpointObject(parsed)) break;
    Result<Event> event = EventFromJson(parsed);
    if (!event.ok()) break;
    seq = event->seq;
    process_id = event->process_id;
    if (process_id != earlier.process_id) {
      return failed("het oudere checkpoint hoort bij proces " + earlier.process_id +
                    ", deze export bij proces " + process_id);
    }
    if (seq == earlier.seq) {
      if (event->hash == earlier.hash) return Status::Ok();
      return failed("bij volgnummer " + std::to_string(seq) + " had het trail eerder hash " +
                    earlier.hash + ", nu " + event->hash +
                    ": het is sindsdien herschreven (ook als alle hashes opnieuw zijn "
                    "berekend en het opnieuw is ondertekend)");
    }
  }
  return failed("het oudere checkpoint gaat tot volgnummer " + std::to_string(earlier.seq) +
                ", maar deze export heeft maar " + std::to_string(seq) +
                " gebeurtenissen: er zijn gebeurtenissen verdwenen");
}

}  // namespace navolg

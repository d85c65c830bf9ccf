#include "engine/audit_chain.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "engine/sha256.h"

namespace navolg {
namespace {

using Json = nlohmann::json;

// A fixed event with a non-ASCII string, a nested object, an array, integers, null, a boolean
// and characters that must be escaped.
Event KnownEvent() {
  Event e;
  e.seq = 1;
  e.process_id = "p-2026-0042";
  e.type = "product.saved";
  e.at = *ParseTime("2026-11-28T17:00:00.000Z");
  e.actor = Actor{"e.de.vries", "projectleider"};
  e.data = Json::parse(R"({"titel": "Zienswijze Straße – fase 2", "versie": 3,
      "bijlagen": ["nota.pdf", "kaart.pdf"], "meta": {"openbaar": true, "n": -12, "leeg": null},
      "opmerking": "regel 1\nregel \"2\""})");
  e.prev = GenesisHash();
  return e;
}

// Both expected values were produced outside navolg, with Python 3:
//   s = json.dumps(event, sort_keys=True, separators=(',', ':'), ensure_ascii=False)
//   hashlib.sha256(s.encode()).hexdigest()
// and the digest checked with `sha256sum` on the UTF-8 bytes of s.
constexpr char kKnownCanonical[] =
    R"({"actor":{"role":"projectleider","user":"e.de.vries"},"at":"2026-11-28T17:00:00.000Z",)"
    R"("data":{"bijlagen":["nota.pdf","kaart.pdf"],"meta":{"leeg":null,"n":-12,"openbaar":true},)"
    R"("opmerking":"regel 1\nregel \"2\"","titel":"Zienswijze Straße – fase 2","versie":3},)"
    R"("prev":"0000000000000000000000000000000000000000000000000000000000000000",)"
    R"("process_id":"p-2026-0042","seq":1,"type":"product.saved"})";
constexpr char kKnownHash[] = "ade5218d968ff24cefa7e8c6521936b2898ef3687e028c0ee2e14c6cfeb12b56";
constexpr char kKnownLine[] =
    R"({"actor":{"role":"projectleider","user":"e.de.vries"},"at":"2026-11-28T17:00:00.000Z",)"
    R"("data":{"bijlagen":["nota.pdf","kaart.pdf"],"meta":{"leeg":null,"n":-12,"openbaar":true},)"
    R"("opmerking":"regel 1\nregel \"2\"","titel":"Zienswijze Straße – fase 2","versie":3},)"
    R"("hash":"ade5218d968ff24cefa7e8c6521936b2898ef3687e028c0ee2e14c6cfeb12b56",)"
    R"("prev":"0000000000000000000000000000000000000000000000000000000000000000",)"
    R"("process_id":"p-2026-0042","seq":1,"type":"product.saved"})";

TEST(Sha256Test, MatchesPublishedTestVectors) {
  // FIPS 180-2, appendix B.
  EXPECT_EQ(Sha256Hex("").value(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc").value(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").value(),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(AuditChainTest, KnownEventHasKnownBytesAndHash) {
  Event e = KnownEvent();
  Result<std::string> canonical = CanonicalEvent(e);
  ASSERT_TRUE(canonical.ok()) << canonical.status().message();
  EXPECT_EQ(*canonical, kKnownCanonical);
  EXPECT_EQ(Sha256Hex(*canonical).value(), kKnownHash);

  ASSERT_TRUE(SealEvent(e).ok());
  EXPECT_EQ(e.hash, kKnownHash);
  Result<std::string> line = ExportLine(e);
  ASSERT_TRUE(line.ok());
  EXPECT_EQ(*line, kKnownLine);

  std::istringstream file(std::string(kKnownLine) + "\n");
  const VerifyReport report = VerifyExport(file);
  EXPECT_TRUE(report.intact) << report.reason;
  EXPECT_EQ(report.head_hash, kKnownHash);
}

TEST(AuditChainTest, WritesAtExactlyAsFormatTime) {
  for (const char* text :
       {"2026-11-28T17:00:00.000Z", "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z",
        "2024-02-29T12:34:56.789Z", "0999-03-04T05:06:07.008Z", "0000-01-01T00:00:00.000Z",
        "9999-12-31T23:59:59.999Z", "2026-03-29T01:00:00.010Z"}) {
    Event e = KnownEvent();
    e.at = *ParseTime(text);
    ASSERT_EQ(FormatTime(e.at), text);
    Result<std::string> canonical = CanonicalEvent(e);
    ASSERT_TRUE(canonical.ok()) << text;
    EXPECT_NE(canonical->find(std::string(R"("at":")") + text + "\""), std::string::npos) << text;
  }
  // Instants ParseTime could not read back are refused.
  for (Time at : {*ParseTime("0000-01-01T00:00:00.000Z") - std::chrono::milliseconds(1),
                  *ParseTime("9999-12-31T23:59:59.999Z") + std::chrono::milliseconds(1)}) {
    Event e = KnownEvent();
    e.at = at;
    Result<std::string> canonical = CanonicalEvent(e);
    ASSERT_FALSE(canonical.ok());
    EXPECT_EQ(canonical.status().message(), "event at lies outside the years 0000..9999");
  }
}

TEST(AuditChainTest, RefusesEventsOutsideTheFormat) {
  struct Case {
    const char* name;
    std::function<void(Event&)> change;
    const char* message;
  };
  const Case cases[] = {
      {"float in data", [](Event& e) { e.data["meta"]["n"] = 0.5; },
       "event data: floating-point number (the audit trail allows only integers) at /meta/n"},
      {"big integer", [](Event& e) { e.data["n"] = std::int64_t{1} << 53; },
       "event data: integer outside +-(2^53 - 1) at /n"},
      {"data not an object", [](Event& e) { e.data = Json::array(); },
       "event data is not an object"},
      {"bad UTF-8 in type", [](Event& e) { e.type = "x\xc0\xaf"; },
       "event type is not valid UTF-8"},
      {"bad UTF-8 in actor", [](Event& e) { e.actor.user = "\xff"; },
       "event actor.user is not valid UTF-8"},
      {"seq too large", [](Event& e) { e.seq = std::int64_t{1} << 53; },
       "event seq is outside +-(2^53 - 1)"},
      {"seq zero", [](Event& e) { e.seq = 0; }, "event seq must be at least 1"},
      {"prev upper case", [](Event& e) { e.prev = std::string(64, 'A'); },
       "event prev is not 64 lowercase hex digits"},
      {"prev empty", [](Event& e) { e.prev.clear(); }, "event prev is not 64 lowercase hex digits"},
  };
  for (const Case& c : cases) {
    Event e = KnownEvent();
    c.change(e);
    const Event before = e;
    Status status = SealEvent(e);
    EXPECT_EQ(status.code(), Code::kInvalidArgument) << c.name;
    EXPECT_EQ(status.message(), c.message) << c.name;
    EXPECT_EQ(e, before) << c.name;
  }
}

TEST(AuditChainTest, EventJsonRoundTrips) {
  Event e = KnownEvent();
  ASSERT_TRUE(SealEvent(e).ok());
  const Json j = EventToJson(e);
  EXPECT_EQ(j.dump(), kKnownLine);  // ASCII names, no floats: nlohmann's order is canonical
  Result<Event> back = EventFromJson(j);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(*back, e);
}

TEST(AuditChainTest, EventFromJsonIsStrict) {
  struct Case {
    const char* name;
    std::function<void(Json&)> change;
    const char* message;
  };
  const Case cases[] = {
      {"not an object", [](Json& j) { j = Json::array({j}); },
       "een gebeurtenis moet een JSON-object zijn"},
      {"missing seq", [](Json& j) { j.erase("seq"); }, R"(het lid "seq" ontbreekt)"},
      {"missing hash", [](Json& j) { j.erase("hash"); }, R"(het lid "hash" ontbreekt)"},
      {"extra member", [](Json& j) { j["extra"] = 1; }, R"(onbekend lid "extra")"},
      {"seq zero", [](Json& j) { j["seq"] = 0; },
       R"("seq" moet een geheel getal zijn van 1 tot en met 9007199254740991)"},
      {"seq as text", [](Json& j) { j["seq"] = "1"; },
       R"("seq" moet een geheel getal zijn van 1 tot en met 9007199254740991)"},
      {"seq as float", [](Json& j) { j["seq"] = 1.0; },
       R"("seq" moet een geheel getal zijn van 1 tot en met 9007199254740991)"},
      {"seq too large", [](Json& j) { j["seq"] = std::uint64_t{1} << 53; },
       R"("seq" moet een geheel getal zijn van 1 tot en met 9007199254740991)"},
      {"at without ms", [](Json& j) { j["at"] = "2026-11-28T17:00:00Z"; },
       R"("at" moet een tijdstip in UTC zijn in de vorm "2026-11-28T17:00:00.000Z")"},
      {"actor extra", [](Json& j) { j["actor"]["rol"] = "x"; },
       R"("actor" moet een object zijn met precies de leden "role" en "user", beide tekst)"},
      {"actor user number", [](Json& j) { j["actor"]["user"] = 7; },
       R"("actor" moet een object zijn met precies de leden "role" en "user", beide tekst)"},
      {"data array", [](Json& j) { j["data"] = Json::array(); }, R"("data" moet een object zijn)"},
      {"hash upper case", [](Json& j) { j["hash"] = std::string(64, 'F'); },
       R"("hash" moet 64 hexadecimale tekens zijn (0-9, a-f))"},
      {"prev short", [](Json& j) { j["prev"] = std::string(63, '0'); },
       R"("prev" moet 64 hexadecimale tekens zijn (0-9, a-f))"},
      {"process_id null", [](Json& j) { j["process_id"] = nullptr; },
       R"("process_id" moet tekst zijn)"},
      {"type number", [](Json& j) { j["type"] = 5; }, R"("type" moet tekst zijn)"},
  };
  Event e = KnownEvent();
  ASSERT_TRUE(SealEvent(e).ok());
  for (const Case& c : cases) {
    Json j = EventToJson(e);
    c.change(j);
    Result<Event> parsed = EventFromJson(j);
    ASSERT_FALSE(parsed.ok()) << c.name;
    EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument) << c.name;
    EXPECT_EQ(parsed.status().message(), c.message) << c.name;
  }
}

// A sealed chain of `count` events of one process.
std::vector<Event> MakeChain(int count) {
  std::vector<Event> chain;
  std::string prev = GenesisHash();
  for (int seq = 1; seq <= count; ++seq) {
    Event e;
    e.seq = seq;
    e.process_id = "p-2026-0042";
    e.type = seq == 1 ? "process.created" : "product.saved";
    e.at = *ParseTime("2026-11-28T17:00:00.000Z") + std::chrono::minutes(seq);
    e.actor = seq == 1 ? Actor::System() : Actor{"e.de.vries", "projectleider"};
    e.data = {{"titel", "Nota Straße " + std::to_string(seq)}, {"versie", seq}};
    e.prev = prev;
    EXPECT_TRUE(SealEvent(e).ok());
    prev = e.hash;
    chain.push_back(e);
  }
  return chain;
}

std::string LineOf(const Event& e) {
  Result<std::string> line = ExportLine(e);
  EXPECT_TRUE(line.ok()) << line.status().message();
  return line.ok() ? *line : "";
}

std::vector<std::string> LinesOf(const std::vector<Event>& chain) {
  std::vector<std::string> lines;
  for (const Event& e : chain) lines.push_back(LineOf(e));
  return lines;
}

std::string FileOf(const std::vector<std::string>& lines) {
  std::string file;
  for (const std::string& line : lines) file += line + "\n";
  return file;
}

VerifyReport Verify(const std::string& file) {
  std::istringstream in(file);
  return VerifyExport(in);
}

TEST(VerifyExportTest, IntactChainVerifies) {
  const std::vector<Event> chain = MakeChain(5);
  const VerifyReport report = Verify(FileOf(LinesOf(chain)));
  EXPECT_TRUE(report.intact);
  EXPECT_EQ(report.events, 5);
  EXPECT_EQ(report.process_id, "p-2026-0042");
  EXPECT_EQ(report.head_hash, chain[4].hash);
  EXPECT_EQ(report.bad_line, 0);
  EXPECT_EQ(report.reason, "");
}

TEST(VerifyExportTest, FindsTheFirstBadLineAndSaysWhy) {
  const std::vector<Event> chain = MakeChain(5);
  const std::vector<std::string> lines = LinesOf(chain);
  const std::string file = FileOf(lines);
  const auto with_line = [&lines](std::size_t index, std::string replacement) {
    std::vector<std::string> changed = lines;
    changed[index] = std::move(replacement);
    return FileOf(changed);
  };
  const auto resealed = [&chain](std::size_t index, const std::function<void(Event&)>& change) {
    Event e = chain[index];
    change(e);
    EXPECT_TRUE(SealEvent(e).ok());
    return LineOf(e);
  };

  // Changing data without resealing: the stored hash no longer matches.
  std::string edited = lines[2];
  const std::string title = "Nota Straße 3";
  edited.replace(edited.find(title), title.size(), "Nota Straße 8");
  Event edited_event = chain[2];
  edited_event.data["titel"] = "Nota Straße 8";
  const std::string edited_hash = Sha256Hex(*CanonicalEvent(edited_event)).value();

  std::string wrong_hash = lines[1];
  wrong_hash.replace(wrong_hash.find(chain[1].hash), 64, chain[0].hash);

  std::string spaced = lines[1];
  spaced.replace(spaced.find(','), 1, ", ");
  std::string ascii_escaped = lines[1];
  const std::size_t sharp_s = ascii_escaped.find("ß");
  ascii_escaped.replace(sharp_s, 2, "\\u00df");  // what Python's json.dumps writes by default

  std::string reordered = lines[1];
  reordered.erase(reordered.find(R"(,"seq":2)"), 8);
  reordered.insert(1, R"("seq":2,)");

  struct Case {
    const char* name;
    std::string file;
    std::int64_t bad_line;
    std::string reason;
  };
  const Case cases[] = {
      {"changed data", with_line(2, edited), 3,
       "regel 3: de hash klopt niet (berekend " + edited_hash + ", in het bestand " +
           chain[2].hash + ")"},
      {"removed middle line", FileOf({lines[0], lines[1], lines[3], lines[4]}), 3,
       "regel 3: volgnummer ontbreekt of staat op de verkeerde plaats (verwacht seq 3, gevonden "
       "seq 4)"},
      {"swapped lines", FileOf({lines[0], lines[2], lines[1], lines[3], lines[4]}), 2,
       "regel 2: volgnummer ontbreekt of staat op de verkeerde plaats (verwacht seq 2, gevonden "
       "seq 3)"},
      {"cut in the last line", file.substr(0, file.size() - lines[4].size() / 2), 5,
       "regel 5: het bestand is afgebroken (de laatste regel eindigt niet op een regeleinde)"},
      {"no final newline", file.substr(0, file.size() - 1), 5,
       "regel 5: het bestand is afgebroken (de laatste regel eindigt niet op een regeleinde)"},
      {"wrong prev, resealed",
       with_line(3, resealed(3, [&chain](Event& e) { e.prev = chain[1].hash; })), 4,
       "regel 4: prev is niet de hash van regel 3 (verwacht " + chain[2].hash + ", gevonden " +
           chain[1].hash + ")"},
      {"first prev not zeros",
       with_line(0, resealed(0, [](Event& e) { e.prev = std::string(64, '1'); })), 1,
       "regel 1: prev van de eerste gebeurtenis moet 64 nullen zijn (gevonden " +
           std::string(64, '1') + ")"},
      {"other process, resealed",
       with_line(2, resealed(2, [](Event& e) { e.process_id = "p-2026-0043"; })), 3,
       R"(regel 3: process_id wijkt af van regel 1 (verwacht "p-2026-0042", gevonden "p-2026-0043"))"},
      {"spaces added", with_line(1, spaced), 2,
       "regel 2: de regel staat niet in de canonieke vorm van RFC 8785 (eerste afwijking bij "
       "byte " +
           std::to_string(lines[1].find(',') + 2) + ")"},
      {"non-ASCII escaped", with_line(1, ascii_escaped), 2,
       "regel 2: de regel staat niet in de canonieke vorm van RFC 8785 (eerste afwijking bij "
       "byte " +
           std::to_string(sharp_s + 1) + ")"},
      {"re-serialised with ensure_ascii", with_line(1, EventToJson(chain[1]).dump(-1, ' ', true)),
       2,
       "regel 2: de regel staat niet in de canonieke vorm van RFC 8785 (eerste afwijking bij "
       "byte " +
           std::to_string(sharp_s + 1) + ")"},
      {"members reordered", with_line(1, reordered), 2,
       "regel 2: de regel staat niet in de canonieke vorm van RFC 8785 (eerste afwijking bij byte "
       "3)"},
      {"changed hash", with_line(1, wrong_hash), 2,
       "regel 2: de hash klopt niet (berekend " + chain[1].hash + ", in het bestand " +
           chain[0].hash + ")"},
      {"extra member", with_line(1, R"({"extra":1,)" + lines[1].substr(1)), 2,
       R"(regel 2: onbekend lid "extra")"},
      {"not JSON", with_line(1, lines[1].substr(0, lines[1].size() - 1)), 2,
       "regel 2: de regel is geen geldige JSON (fout bij byte " + std::to_string(lines[1].size()) +
           ")"},  // the end, one past the cut line
      {"Windows line endings", FileOf({lines[0] + "\r", lines[1] + "\r"}), 1,
       "regel 1: de regel eindigt op een CR-teken (Windows-regeleinde); het formaat gebruikt "
       "alleen LF"},
      {"blank line", FileOf({lines[0], "", lines[1]}), 2,
       "regel 2: de regel is geen geldige JSON (fout bij byte 1)"},
      {"hostile nesting", FileOf({lines[0], std::string(100000, '[')}), 2,
       "regel 2: de regel is dieper genest dan 129 niveaus"},
      {"empty file", "", 1, "het bestand bevat geen gebeurtenissen"},
  };
  for (const Case& c : cases) {
    const VerifyReport report = Verify(c.file);
    EXPECT_FALSE(report.intact) << c.name;
    EXPECT_EQ(report.bad_line, c.bad_line) << c.name;
    EXPECT_EQ(report.reason, c.reason) << c.name;
    // Everything before the bad line was verified.
    EXPECT_EQ(report.events, c.bad_line - 1) << c.name;
    EXPECT_EQ(report.head_hash, c.bad_line > 1 ? chain[c.bad_line - 2].hash : "") << c.name;
  }
}

}  // namespace
}  // namespace navolg

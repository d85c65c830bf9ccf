// navolg audit export and navolg audit verify: the trail as JSON Lines, and checking one.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "api/cli/args.h"
#include "api/cli/command_support.h"
#include "api/cli/commands.h"
#include "engine/audit_chain.h"
#include "engine/calendar.h"
#include "engine/checkpoint.h"
#include "storage/checkpoint_store.h"
#include "storage/clock.h"
#include "storage/read_store.h"
#include "storage/signing_key_file.h"

namespace navolg::cli {
namespace {

constexpr const char* kExportUsage =
    "gebruik: navolg audit export [--db PATH] --process ID [--out FILE] [--signing-key PATH]\n"
    "\n"
    "Schrijft het audittrail van een proces als JSON Lines (een gebeurtenis per regel, in de\n"
    "canonieke vorm) naar FILE of naar standaarduitvoer, met als laatste regel een checkpoint\n"
    "dat navolg met zijn Ed25519-sleutel ondertekent (docs/audit-format.md). De sleutel is\n"
    "--signing-key, anders $NAVOLG_SIGNING_KEY, anders navolg-signing.key in de map van de\n"
    "database; bestaat die nog niet, dan wordt hij aangemaakt (rechten 0600).\n"
    "Controleer de export met 'navolg audit verify FILE --key OPENBARE_SLEUTEL'.\n";

constexpr const char* kVerifyUsage =
    "gebruik: navolg audit verify FILE [--key OPENBARE_SLEUTEL] [--since OUDER]\n"
    "\n"
    "Controleert een geexporteerd audittrail (JSON Lines, een gebeurtenis per regel, in de\n"
    "canonieke vorm van RFC 8785): volgnummers, de hashketen (prev) en de hash van elke regel.\n"
    "Eindigt de export met een checkpoint, dan moet dat bij de laatste gebeurtenis passen.\n"
    "\n"
    "Met --key (de openbare sleutel van de server in PEM, van GET /api/v1/audit/public-key)\n"
    "moet de export eindigen met een checkpoint dat met die sleutel is ondertekend. Zo blijkt\n"
    "ook een herschreven keten waarvan alle hashes opnieuw zijn berekend.\n"
    "\n"
    "Met --since OUDER (een checkpoint dat u eerder kreeg, als JSON-bestand, zoals de laatste\n"
    "regel van een export of een item van GET /api/v1/processes/{id}/checkpoints, of een\n"
    "oudere export, waarvan de laatste gebeurtenis telt) moet FILE dezelfde keten voortzetten:\n"
    "de gebeurtenis met het volgnummer van OUDER moet nog dezelfde hash hebben. Zo blijkt ook\n"
    "een keten die sindsdien is herschreven, opnieuw gehasht en opnieuw ondertekend.\n"
    "\n"
    "Afsluitcode 0 met een samenvatting als het trail intact is, anders 1 met de eerste\n"
    "foute regel en de reden.\n";

// What an intact export's summary adds about its checkpoint.
std::string CheckpointSummary(const VerifyReport& report) {
  if (!report.checkpoint) return "; zonder checkpoint, dus niet ondertekend";
  const std::string signed_by =
      FormatTime(report.checkpoint->at) + " met sleutel " + report.checkpoint->key_id;
  if (report.signature_verified) return "; handtekening geldig (ondertekend " + signed_by + ")";
  return "; checkpoint past bij de laatste gebeurtenis (ondertekend " + signed_by +
         "), handtekening niet gecontroleerd: geef --key";
}

}  // namespace

int AuditExport(const Args& args) {
  ParsedArgs parsed = ParseArgs(args, {"--db", "--process", "--out", "--signing-key"});
  if (parsed.help) {
    std::cout << kExportUsage;
    return 0;
  }
  if (!parsed.error && parsed.Option("--process").empty()) parsed.error = "--process is verplicht";
  if (parsed.error || !parsed.positional.empty()) return Usage(kExportUsage, parsed.error);
  const std::string path = DatabasePath(parsed.Option("--db"));
  auto db = OpenExistingDatabase(path);  // brings an older schema up to date first
  if (!db.ok()) return Fail(db.status());
  auto catalog = storage::WorkflowCatalog::Load(**db);
  if (!catalog.ok()) return Fail(catalog.status());
  auto reads = storage::ReadStore::Open(path, *catalog);
  if (!reads.ok()) return Fail(reads.status());
  auto key_path_or = storage::SigningKeyPath(parsed.Option("--signing-key"), path);
  if (!key_path_or.ok()) return Fail(key_path_or.status());
  const std::string& key_path = *key_path_or;
  auto signing_key = storage::LoadOrCreateSigningKey(key_path);
  if (!signing_key.ok()) return Fail(signing_key.status());
  if (signing_key->created) {
    std::cerr << "navolg: nieuwe ondertekensleutel aangemaakt in " << key_path << " (key_id "
              << signing_key->key.public_key().id() << ")\n";
  }
  std::ostringstream trail;
  Status status = (*reads)->ExportTrailOfAnyOrganisation(parsed.Option("--process"), trail);
  if (!status.ok()) return Fail(status);
  std::string text = trail.str();
  auto checkpoint = storage::KeepCheckpoint(**db, text, signing_key->key, storage::WallClockNow());
  // A stored chain that is not intact, or rewritten since navolg signed an earlier head, is
  // still exported, as evidence, but never signed.
  if (checkpoint.ok()) text += *checkpoint;
  const Code code = checkpoint.ok() ? Code::kOk : checkpoint.status().code();
  if (code != Code::kOk && code != Code::kDataLoss && code != Code::kFailedPrecondition) {
    return Fail(checkpoint.status());
  }

  const std::string out_path = parsed.Option("--out");
  std::ofstream file;
  if (!out_path.empty()) {
    file.open(out_path, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(Status(Code::kUnavailable, "kan '" + out_path + "' niet schrijven"));
  }
  std::ostream& out = out_path.empty() ? std::cout : file;
  out << text;
  out.flush();
  if (!out) return Fail(Status(Code::kUnavailable, "de export kon niet worden geschreven"));
  return checkpoint.ok() ? 0 : Fail(checkpoint.status());
}

int AuditVerify(const Args& args) {
  ParsedArgs parsed = ParseArgs(args, {"--key", "--since"});
  if (parsed.help) {
    std::cout << kVerifyUsage;
    return 0;
  }
  if (parsed.error || parsed.positional.size() != 1 || parsed.positional[0].rfind("-", 0) == 0 ||
      (parsed.options.count("--key") && parsed.Option("--key").empty()) ||
      (parsed.options.count("--since") && parsed.Option("--since").empty())) {
    return Usage(kVerifyUsage, parsed.error);
  }
  const std::string& file = parsed.positional[0];
  std::optional<PublicKey> key;
  if (const std::string key_file = parsed.Option("--key"); !key_file.empty()) {
    const std::optional<std::string> pem = ReadTextFile(key_file);
    if (!pem) {
      std::cerr << key_file << ": kan de openbare sleutel niet lezen\n";
      return 1;
    }
    Result<PublicKey> loaded = PublicKey::FromPem(*pem);
    if (!loaded.ok()) {
      std::cerr << key_file << ": " << loaded.status().message() << "\n";
      return 1;
    }
    key = std::move(*loaded);
  }
  std::error_code ignored;
  std::ifstream in(file, std::ios::binary);
  if (!in || std::filesystem::is_directory(file, ignored)) {
    std::cerr << file << ": kan het bestand niet lezen\n";
    return 1;
  }
  std::optional<EarlierHead> earlier;
  if (const std::string since = parsed.Option("--since"); !since.empty()) {
    const std::optional<std::string> text = ReadTextFile(since);
    if (!text) {
      std::cerr << since << ": kan het oudere checkpoint niet lezen\n";
      return 1;
    }
    Result<EarlierHead> read = ReadEarlierHead(*text);
    if (!read.ok()) {
      std::cerr << since << ": " << read.status().message() << "\n";
      return 1;
    }
    earlier = std::move(*read);
    // Its signature is checked where the key can: a checkpoint signed with another (older)
    // key is taken as the auditor kept it.
    if (key && earlier->checkpoint && earlier->checkpoint->key_id == key->id()) {
      if (Status verified = VerifyCheckpoint(*earlier->checkpoint, *key); !verified.ok()) {
        std::cout << file << ": NIET INTACT: het oudere checkpoint " << since << ": "
                  << verified.message() << "\n";
        return 1;
      }
    }
  }
  VerifyReport report = key ? VerifyExport(in, *key) : VerifyExport(in);
  if (!report.intact) {
    std::cout << file << ": NIET INTACT: " << report.reason << "\n";
    return 1;
  }
  std::string since_summary;
  if (earlier) {
    // Read again as text: VerifyExport streamed it, and the hash at a seq is needed now.
    const std::optional<std::string> text = ReadTextFile(file);
    Status kept = text ? VerifySince(*text, *earlier)
                       : Status(Code::kUnavailable, "kan het bestand niet opnieuw lezen");
    if (!kept.ok()) {
      std::cout << file << ": NIET INTACT sinds " << parsed.Option("--since") << ": "
                << kept.message() << "\n";
      return 1;
    }
    since_summary =
        "; ongewijzigd sinds volgnummer " + std::to_string(earlier->seq) +
        (earlier->checkpoint ? " (checkpoint van " + FormatTime(earlier->checkpoint->at) + ")"
                             : "");
  }
  std::cout << file << ": intact: " << report.events << " gebeurtenissen van proces "
            << report.process_id << ", laatste hash " << report.head_hash
            << CheckpointSummary(report) << since_summary << "\n";
  return 0;
}

}  // namespace navolg::cli

// navolg backup and navolg backup verify: a consistent copy of the embedded database, also
// while navolg serve writes to it, and the check of such a copy (storage/backup.h).
#include <cstdio>
#include <iostream>
#include <string>

#include "api/cli/args.h"
#include "api/cli/command_support.h"
#include "api/cli/commands.h"
#include "storage/backup.h"

namespace navolg::cli {
namespace {

constexpr const char* kBackupUsage =
    "gebruik: navolg backup [--db PATH] --out BESTAND\n"
    "         navolg backup verify BESTAND\n"
    "\n"
    "navolg backup maakt een reservekopie van de database, ook terwijl navolg serve ermee\n"
    "werkt: een samenhangende momentopname met elke opdracht die bevestigd was voordat de\n"
    "kopie begon. BESTAND mag nog niet bestaan (navolg overschrijft niets) en krijgt rechten\n"
    "0600: het bevat persoonsgegevens. De database is --db, anders $NAVOLG_DB, anders\n"
    "./data/navolg.db. Voor PostgreSQL gebruikt u pg_dump.\n"
    "\n"
    "navolg backup verify opent BESTAND alleen om te lezen en controleert het bestand zelf,\n"
    "van elk proces de hele hashketen en of de opgeslagen standen, toestanden en teksten\n"
    "overeenkomen met wat het trail oplevert (als navolg audit check).\n"
    "\n"
    "Afsluitcode 0 als de kopie gemaakt is of klopt, 1 bij een fout of een beschadigd\n"
    "proces (de regels met BESCHADIGD staan bovenaan), 2 bij een verkeerde aanroep.\n";

// "4,2 MB (4.194.304 bytes)": decimal units, Dutch separators.
std::string Size(std::int64_t bytes) {
  std::string exact = std::to_string(bytes);
  for (int i = static_cast<int>(exact.size()) - 3; i > 0; i -= 3) {
    exact.insert(static_cast<std::size_t>(i), ".");
  }
  exact += " bytes";
  const char* units[] = {"kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = -1;
  while (value >= 1000 && unit < 3) {
    value /= 1000;
    ++unit;
  }
  if (unit < 0) return exact;
  char rounded[32];
  std::snprintf(rounded, sizeof rounded, "%.1f", value);
  std::string shown = rounded;
  if (const auto dot = shown.find('.'); dot != std::string::npos) shown[dot] = ',';
  return shown + " " + units[unit] + " (" + exact + ")";
}

void PrintSummary(const storage::BackupSummary& summary) {
  std::cout << "  grootte         " << Size(summary.bytes) << "\n"
            << "  organisaties    " << summary.organisations << "\n"
            << "  processen       " << summary.processes << "\n"
            << "  gebeurtenissen  " << summary.events << "\n";
}

int BackupVerify(const Args& args) {
  ParsedArgs parsed = ParseArgs(args, {});
  if (parsed.help) {
    std::cout << kBackupUsage;
    return 0;
  }
  if (parsed.error || parsed.positional.size() != 1 || parsed.positional[0].empty()) {
    return Usage(kBackupUsage, parsed.error);
  }
  const std::string& file = parsed.positional[0];
  auto check = storage::VerifyBackup(file);
  if (!check.ok()) return Fail(check.status());
  if (check->file_damage) {
    std::cout << "Reservekopie " << file << " is NIET in orde: het bestand zelf is beschadigd ("
              << *check->file_damage << ").\n";
    return 1;
  }
  PrintVerdicts(check->integrity);
  std::cout << "Reservekopie " << file << ":\n";
  PrintSummary(check->summary);
  if (check->intact()) {
    std::cout << "Oordeel: in orde. Elke hashketen klopt en elke opgeslagen stand komt overeen "
                 "met het trail.\n";
    return 0;
  }
  std::cout << "Oordeel: NIET in orde. Beschadigd: " << check->integrity.damaged << " van de "
            << check->integrity.processes.size() << " processen (zie BESCHADIGD hierboven).\n";
  return 1;
}

}  // namespace

int Backup(const Args& args) {
  if (!args.empty() && args[0] == "verify") return BackupVerify(Args(args.begin() + 1, args.end()));
  ParsedArgs parsed = ParseArgs(args, {"--db", "--out"});
  if (parsed.help) {
    std::cout << kBackupUsage;
    return 0;
  }
  if (!parsed.error && parsed.Option("--out").empty()) parsed.error = "--out is verplicht";
  if (parsed.error || !parsed.positional.empty()) return Usage(kBackupUsage, parsed.error);
  auto address = storage::ParseDatabaseAddress(DatabasePath(parsed.Option("--db")));
  if (!address.ok()) return Fail(address.status());
  if (address->kind != storage::DatabaseKind::kSqlite) {
    return Fail(Status(Code::kFailedPrecondition,
                       "navolg backup kopieert de ingebouwde SQLite-database; van een "
                       "PostgreSQL-database maakt u een reservekopie met pg_dump"));
  }
  const std::string out = parsed.Option("--out");
  auto summary = storage::CreateBackup(address->text, out);
  if (!summary.ok()) return Fail(summary.status());
  std::cout << "Reservekopie gemaakt: " << out << " (rechten 0600)\n";
  PrintSummary(*summary);
  std::cout << "Controleer haar met: navolg backup verify " << out << "\n";
  return 0;
}

}  // namespace navolg::cli

// navolg db copy: a whole database from one backend to the other (storage/database_copy.h).
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "api/cli/args.h"
#include "api/cli/command_support.h"
#include "api/cli/commands.h"
#include "storage/clock.h"
#include "storage/database_address.h"
#include "storage/database_copy.h"

namespace navolg::cli {
namespace {

constexpr const char* kDbUsage =
    "gebruik: navolg db copy --from DATABASE --to DATABASE\n"
    "\n"
    "Kopieert een hele navolg-database naar een lege database, van SQLite naar PostgreSQL of\n"
    "terug (DATABASE: het pad van een SQLite-bestand of een postgresql://-adres). De bron\n"
    "wordt alleen gelezen; stop de navolg-nodes die erin schrijven eerst. Een doel met\n"
    "gegevens wordt geweigerd. Na het kopieren controleert navolg het doel: evenveel rijen\n"
    "in elke tabel, elke hashketen en elke opgeslagen stand.\n"
    "\n"
    "Afsluitcode 0 als de kopie gemaakt en in orde is, 1 bij een fout, 2 bij een verkeerde\n"
    "aanroep.\n";

int DbCopy(const Args& args) {
  ParsedArgs parsed = ParseArgs(args, {"--from", "--to"});
  if (parsed.help) {
    std::cout << kDbUsage;
    return 0;
  }
  if (!parsed.error && (parsed.Option("--from").empty() || parsed.Option("--to").empty())) {
    parsed.error = "--from en --to zijn verplicht";
  }
  if (parsed.error || !parsed.positional.empty()) return Usage(kDbUsage, parsed.error);
  for (const char* option : {"--from", "--to"}) {
    if (auto address = UsableDatabaseAddress(parsed.Option(option)); !address.ok()) {
      return Fail(address.status());
    }
  }
  const std::string from = parsed.Option("--from");
  const std::string to = parsed.Option("--to");
  if (storage::ParseDatabaseAddress(from)->kind == storage::DatabaseKind::kSqlite &&
      !std::filesystem::exists(from)) {
    return Fail(Status(Code::kNotFound, "database '" + from + "' bestaat niet"));
  }
  auto copied = storage::CopyDatabase(from, to, storage::WallClockNow());
  if (!copied.ok()) return Fail(copied.status());
  std::cout << "Gekopieerd van " << storage::AddressForDisplay(from) << " naar "
            << storage::AddressForDisplay(to) << ": " << copied->rows << " rijen in "
            << copied->tables << " tabellen.\n"
            << "Gecontroleerd: elke tabel heeft evenveel rijen als de bron; de hashketens van "
            << copied->integrity.fully_checked
            << " processen kloppen en elke opgeslagen stand komt overeen met het trail.\n";
  return 0;
}

}  // namespace

int Db(const Args& args) {
  if (!args.empty() && args[0] == "copy") return DbCopy(Args(args.begin() + 1, args.end()));
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kDbUsage;
    return 0;
  }
  return Usage(kDbUsage, args.empty() ? std::optional<std::string>()
                                      : "onbekende opdracht 'db " + args[0] + "'");
}

}  // namespace navolg::cli

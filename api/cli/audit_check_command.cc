// navolg audit check: every process's chain and projections in the database against a replay
// (storage/integrity_check.h), with a line per process.
#include <iostream>

#include "api/cli/args.h"
#include "api/cli/command_support.h"
#include "api/cli/commands.h"
#include "storage/clock.h"
#include "storage/integrity_check.h"

namespace navolg::cli {
namespace {

constexpr const char* kCheckUsage =
    "gebruik: navolg audit check [--db PATH] [--process ID]\n"
    "\n"
    "Controleert de database zelf: van elk proces (of alleen van ID) de hele hashketen (elke\n"
    "hash, elk volgnummer, elke verwijzing naar de vorige gebeurtenis) en of de opgeslagen\n"
    "stand, de opgeslagen toestand en de teksten van de producten overeenkomen met wat het\n"
    "trail oplevert. Een proces dat niet klopt wordt gemarkeerd als beschadigd: het neemt\n"
    "geen opdrachten meer aan en de webinterface en het rapport tonen waarom. Een gemarkeerd\n"
    "proces dat weer klopt (teruggezet uit een reservekopie) verliest de markering.\n"
    "\n"
    "Afsluitcode 0 als alles klopt, 1 als er een beschadigd proces is (de regels met\n"
    "BESCHADIGD staan bovenaan), 2 bij een verkeerde aanroep.\n";

}  // namespace

int AuditCheck(const Args& args) {
  ParsedArgs parsed = ParseArgs(args, {"--db", "--process"});
  if (parsed.help) {
    std::cout << kCheckUsage;
    return 0;
  }
  if (parsed.error || !parsed.positional.empty() ||
      (parsed.options.count("--process") && parsed.Option("--process").empty())) {
    return Usage(kCheckUsage, parsed.error);
  }
  auto db = OpenExistingDatabase(DatabasePath(parsed.Option("--db")));
  if (!db.ok()) return Fail(db.status());
  storage::IntegrityOptions options;
  options.process_id = parsed.Option("--process");
  options.now = storage::WallClockNow();
  auto report = storage::CheckIntegrity(**db, options);
  if (!report.ok()) return Fail(report.status());
  PrintVerdicts(*report);
  return report->damaged == 0 ? 0 : 1;
}

}  // namespace navolg::cli

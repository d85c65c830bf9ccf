// navolg org add and navolg org webhook.
#include <iostream>
#include <optional>
#include <string>

#include "api/cli/args.h"
#include "api/cli/command_support.h"
#include "api/cli/commands.h"
#include "api/http/webhook_url.h"
#include "storage/clock.h"
#include "storage/directory.h"
#include "storage/outbox.h"

namespace navolg::cli {
namespace {

constexpr const char* kOrgAddUsage =
    "gebruik: navolg org add [--db PATH] SLUG NAAM\n"
    "\n"
    "Maakt een organisatie aan. SLUG: kleine letters, cijfers en '-'. De database is --db,\n"
    "anders $NAVOLG_DB, anders ./data/navolg.db (wordt aangemaakt als die nog niet bestaat).\n";

constexpr const char* kOrgWebhookUsage =
    "gebruik: navolg org webhook [--db PATH] SLUG [URL | --remove]\n"
    "\n"
    "Zonder URL: toont de webhook van de organisatie. Met URL (http:// of https://): stelt hem\n"
    "in; navolg stuurt daar een JSON-bericht (POST) voor elke verlopen termijn\n"
    "(deadline.missed) en voor elke termijn die binnen 7 dagen verloopt (deadline.due_soon),\n"
    "met de kopregel Navolg-Message-Id, en herhaalt het tot de ontvanger 2xx antwoordt.\n"
    "Met --remove: verwijdert de webhook; berichten die nog niet zijn afgeleverd vervallen.\n";

}  // namespace

int OrgAdd(const Args& args) {
  ParsedArgs parsed = ParseArgs(args, {"--db"});
  if (parsed.help) {
    std::cout << kOrgAddUsage;
    return 0;
  }
  if (parsed.error || parsed.positional.size() != 2) return Usage(kOrgAddUsage, parsed.error);
  auto db = OpenDatabase(DatabasePath(parsed.Option("--db")));
  if (!db.ok()) return Fail(db.status());
  auto organisation = storage::AddOrganisation(**db, parsed.positional[0], parsed.positional[1],
                                               storage::WallClockNow());
  if (!organisation.ok()) return Fail(organisation.status());
  std::cout << "organisatie " << organisation->slug << " (" << organisation->name
            << ") aangemaakt\n";
  return 0;
}

int OrgWebhook(const Args& args) {
  ParsedArgs parsed = ParseArgs(args, {"--db"}, {"--remove"});
  const bool remove = parsed.Flag("--remove");
  if (parsed.help) {
    std::cout << kOrgWebhookUsage;
    return 0;
  }
  if (!parsed.error && remove && parsed.positional.size() == 2) {
    parsed.error = "geef een URL of --remove, niet allebei";
  }
  if (parsed.error || parsed.positional.empty() || parsed.positional.size() > 2) {
    return Usage(kOrgWebhookUsage, parsed.error);
  }
  const std::string& slug = parsed.positional[0];
  std::optional<std::string> url;
  if (parsed.positional.size() == 2) {
    auto checked = http::ParseWebhookUrl(parsed.positional[1]);
    if (!checked.ok()) return Fail(checked.status());
    url = parsed.positional[1];
  }
  const std::string path = DatabasePath(parsed.Option("--db"));
  auto db = OpenExistingDatabase(path);
  if (!db.ok()) return Fail(db.status());
  if (!url && !remove) {
    auto current = storage::FindWebhookUrl(**db, slug);
    if (!current.ok()) return Fail(current.status());
    std::cout << (*current ? "webhook van " + slug + ": " + **current
                           : "organisatie " + slug + " heeft geen webhook")
              << "\n";
    return 0;
  }
  auto dropped = storage::SetWebhookUrl(**db, slug, url);
  if (!dropped.ok()) return Fail(dropped.status());
  if (url) {
    std::cout << "webhook van " << slug << " ingesteld op " << *url << "\n";
  } else {
    std::cout << "webhook van " << slug << " verwijderd";
    if (*dropped > 0) std::cout << "; " << *dropped << " niet afgeleverde berichten vervallen";
    std::cout << "\n";
  }
  return 0;
}

}  // namespace navolg::cli

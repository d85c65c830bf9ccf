// Adoption as an act (engine.h, OfferForAdoption and SaveProduct::voids_adoption): the author
// offers a complete version, bestuur adopts it, and a new version of an adopted text is
// refused unless the author confirms that the adoption lapses.
#include <gtest/gtest.h>

#include "engine/event_description.h"
#include "engine/state_codec.h"
#include "engine/waiting_work.h"
#include "tests/engine/test_support.h"

namespace navolg {
namespace {

using namespace navolg::testing;

// A process whose kadernotitie is saved (version 1), not yet adopted or offered.
ProcessDriver Drafted() {
  ProcessDriver driver(Standard());
  driver.Do(CreateProcess{"p-1", "Marktplein"}, Adviseur(), At("2026-03-01T09:00:00.000Z"));
  driver.Do(SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(),
            At("2026-03-02T09:00:00.000Z"));
  return driver;
}

const ProductInstance& Kadernotitie(const ProcessDriver& driver) {
  return driver.state().Instances("kadernotitie").front();
}

TEST(AdoptionOfferTest, TheAuthorOffersAVersionThatBestuurThenSeesAsOffered) {
  ProcessDriver driver = Drafted();
  auto waiting = AwaitedAdoptions(Standard(), driver.state());
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_FALSE(waiting[0].offered_at.has_value());

  auto events = driver.Do(OfferForAdoption{"kadernotitie", 0, Kadernotitie(driver).current.hash},
                          Adviseur(), At("2026-03-02T10:00:00.000Z"));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "product.offered");
  EXPECT_EQ(events[0].data["version"], 1);
  EXPECT_TRUE(Kadernotitie(driver).offered());
  EXPECT_EQ(DescribeEvent(events[0], Standard(), {}),
            "Kadernotitie ter vaststelling aangeboden (versie 1)");

  waiting = AwaitedAdoptions(Standard(), driver.state());
  ASSERT_EQ(waiting.size(), 1u);
  ASSERT_TRUE(waiting[0].offered_at.has_value());
  EXPECT_EQ(FormatTime(*waiting[0].offered_at), "2026-03-02T10:00:00.000Z");
  EXPECT_EQ(waiting[0].offered_by, "u-adviseur");

  // A snapshot keeps the offer.
  auto decoded = DecodeState(EncodeState(driver.state()));
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded->Instances("kadernotitie").front().offered());

  // Offered twice is said, not recorded again.
  EXPECT_EQ(
      RefusalCode(driver.Try(OfferForAdoption{"kadernotitie", 0, ""}, Adviseur(), driver.Later())),
      "al_aangeboden");

  // Adopted, the offer is fulfilled: nothing waits.
  driver.Do(AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), driver.Later());
  EXPECT_FALSE(Kadernotitie(driver).offered());
  EXPECT_TRUE(AwaitedAdoptions(Standard(), driver.state()).empty());
}

TEST(AdoptionOfferTest, ANewVersionNeedsANewOffer) {
  ProcessDriver driver = Drafted();
  driver.Do(OfferForAdoption{"kadernotitie", 0, ""}, Adviseur(), driver.Later());
  nlohmann::json changed = CompleteKadernotitie();
  changed["doel"] = "Wensen ophalen, ook van scholen";
  driver.Do(SaveProduct{"kadernotitie", 0, changed}, Adviseur(), driver.Later());
  EXPECT_FALSE(Kadernotitie(driver).offered());
  auto waiting = AwaitedAdoptions(Standard(), driver.state());
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].version, 2);
  EXPECT_FALSE(waiting[0].offered_at.has_value());
}

TEST(AdoptionOfferTest, RefusedWhereItCannotBe) {
  ProcessDriver driver = Drafted();
  const Time later = driver.Later();
  EXPECT_EQ(RefusalCode(driver.Try(OfferForAdoption{"kadernotitie", 0, ""}, Bestuur(), later)),
            "rol_niet_toegestaan");
  EXPECT_EQ(RefusalCode(driver.Try(OfferForAdoption{"capaciteit", 0, ""}, Adviseur(), later)),
            "niet_vast_te_stellen");
  EXPECT_EQ(
      RefusalCode(driver.Try(OfferForAdoption{"kadernotitie", 0, "deadbeef"}, Adviseur(), later)),
      "versie_gewijzigd");
  EXPECT_EQ(RefusalCode(driver.Try(OfferForAdoption{"kadernotitie", 1, ""}, Adviseur(), later)),
            "exemplaar_ongeldig");

  // An incomplete text cannot be offered; the refusal names what is missing.
  ProcessDriver incomplete(Standard());
  incomplete.Do(CreateProcess{"p-2", "Haven"}, Adviseur(), At("2026-03-01T09:00:00.000Z"));
  incomplete.Do(SaveProduct{"kadernotitie", 0, {{"onderwerp", "Haven"}}}, Adviseur(),
                At("2026-03-01T10:00:00.000Z"));
  const Decision refused =
      incomplete.Try(OfferForAdoption{"kadernotitie", 0, ""}, Adviseur(), incomplete.Later());
  ASSERT_TRUE(std::holds_alternative<Refusal>(refused));
  EXPECT_NE(std::get<Refusal>(refused).detail.find("aangeboden ter vaststelling"),
            std::string::npos);
  EXPECT_EQ(RefusalCode(refused), "veld_ontbreekt");
}

TEST(AdoptionOfferTest, ANewVersionOfAnAdoptedTextNeedsTheAuthorsConfirmation) {
  ProcessDriver driver = Drafted();
  driver.Do(AdoptProduct{"kadernotitie", 0, ""}, Bestuur(), driver.Later());
  nlohmann::json changed = CompleteKadernotitie();
  changed["doel"] = "Wensen ophalen, ook van scholen";

  const Decision refused =
      driver.Try(SaveProduct{"kadernotitie", 0, changed}, Adviseur(), driver.Later());
  EXPECT_EQ(RefusalCode(refused), "vaststelling_vervalt");
  EXPECT_EQ(std::get<Refusal>(refused).kind, RefusalKind::kConflict);
  EXPECT_TRUE(Kadernotitie(driver).adopted());

  // The same text again changes nothing and needs no confirmation.
  EXPECT_TRUE(
      driver.Do(SaveProduct{"kadernotitie", 0, CompleteKadernotitie()}, Adviseur(), driver.Later())
          .empty());

  auto events =
      driver.Do(SaveProduct{"kadernotitie", 0, changed, true}, Adviseur(), driver.Later());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data["voids_adoption_of"], 1);
  EXPECT_EQ(DescribeEvent(events[0], Standard(), {}),
            "Kadernotitie opgeslagen (versie 2); de vaststelling van versie 1 vervalt");
  EXPECT_FALSE(Kadernotitie(driver).adopted());
  ASSERT_EQ(AwaitedAdoptions(Standard(), driver.state()).size(), 1u);

  // Not adopted any more: the next version needs no confirmation.
  changed["doel"] = "Wensen ophalen, ook van scholen en verenigingen";
  events = driver.Do(SaveProduct{"kadernotitie", 0, changed}, Adviseur(), driver.Later());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_FALSE(events[0].data.contains("voids_adoption_of"));
}

}  // namespace
}  // namespace navolg

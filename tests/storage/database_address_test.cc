// storage/database_address.h: which addresses are a SQLite file, which PostgreSQL, and which
// are refused (with a message that names the forms navolg takes, never a password).
#include "storage/database_address.h"

#include <gtest/gtest.h>

#include <string>

namespace navolg {
namespace {

using storage::DatabaseKind;

struct Accepted {
  const char* address;
  DatabaseKind kind;
  const char* text;  // what the address keeps
};

class AcceptedAddressTest : public ::testing::TestWithParam<Accepted> {};

TEST_P(AcceptedAddressTest, IsReadAsItsKind) {
  const Accepted& accepted = GetParam();
  auto address = storage::ParseDatabaseAddress(accepted.address);
  ASSERT_TRUE(address.ok()) << address.status().message();
  EXPECT_EQ(address->kind, accepted.kind);
  EXPECT_EQ(address->text, accepted.text);
}

INSTANTIATE_TEST_SUITE_P(
    EachForm, AcceptedAddressTest,
    ::testing::Values(
        Accepted{"data/navolg.db", DatabaseKind::kSqlite, "data/navolg.db"},
        Accepted{"./navolg.db", DatabaseKind::kSqlite, "./navolg.db"},
        Accepted{"../elders/navolg.db", DatabaseKind::kSqlite, "../elders/navolg.db"},
        Accepted{"/var/lib/navolg/navolg.db", DatabaseKind::kSqlite, "/var/lib/navolg/navolg.db"},
        Accepted{"navolg", DatabaseKind::kSqlite, "navolg"},
        // A colon without "//" is part of a file name, as before.
        Accepted{"backup:2026.db", DatabaseKind::kSqlite, "backup:2026.db"},
        Accepted{"./mysql://x", DatabaseKind::kSqlite, "./mysql://x"},
        Accepted{"postgresql://navolg@db.example.nl:5432/navolg?sslmode=verify-full",
                 DatabaseKind::kPostgres,
                 "postgresql://navolg@db.example.nl:5432/navolg?sslmode=verify-full"},
        Accepted{"postgresql:///navolg", DatabaseKind::kPostgres, "postgresql:///navolg"},
        Accepted{"postgres://u:geheim@h/db", DatabaseKind::kPostgres, "postgres://u:geheim@h/db"},
        // The scheme is case-insensitive; libpq reads it in lower case only.
        Accepted{"PostgreSQL://u@h/Db", DatabaseKind::kPostgres, "postgresql://u@h/Db"}));

struct Refused {
  const char* address;
  const char* says;  // part of the message
};

class RefusedAddressTest : public ::testing::TestWithParam<Refused> {};

TEST_P(RefusedAddressTest, IsRefusedNamingTheFormsNavolgTakes) {
  const Refused& refused = GetParam();
  auto address = storage::ParseDatabaseAddress(refused.address);
  ASSERT_FALSE(address.ok());
  EXPECT_EQ(address.status().code(), Code::kInvalidArgument);
  const std::string& message = address.status().message();
  EXPECT_NE(message.find(refused.says), std::string::npos) << message;
  EXPECT_NE(message.find("SQLite-bestand"), std::string::npos) << message;
  EXPECT_NE(message.find("postgresql://"), std::string::npos) << message;
  EXPECT_EQ(message.find("geheim"), std::string::npos) << "a password in the message: " << message;
}

INSTANTIATE_TEST_SUITE_P(EachForm, RefusedAddressTest,
                         ::testing::Values(Refused{"mysql://navolg:geheim@db/navolg", "'mysql://'"},
                                           Refused{"http://geheim.example.nl/navolg.db",
                                                   "'http://'"},
                                           Refused{"file:///var/lib/geheim.db", "'file://'"},
                                           Refused{"sqlite://geheim.db", "'sqlite://'"},
                                           Refused{"MySQL://geheim", "'mysql://'"},
                                           Refused{"", "leeg"}, Refused{":memory:", "geheugen"}));

TEST(AddressForDisplayTest, APostgresPasswordIsNeverShown) {
  EXPECT_EQ(storage::AddressForDisplay("postgresql://navolg:geheim@db.example.nl:5432/navolg"),
            "postgresql://navolg@db.example.nl:5432/navolg");
  EXPECT_EQ(storage::AddressForDisplay("postgresql://navolg@db/navolg"),
            "postgresql://navolg@db/navolg");
  EXPECT_EQ(storage::AddressForDisplay("./data/navolg.db"), "./data/navolg.db");
}

}  // namespace
}  // namespace navolg

#include "db/postgres_url.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <map>
#include <string>

#include "core/status_matchers.h"

namespace enhancer {
namespace {

// What libpq makes of a conninfo string, keyword -> value.
std::map<std::string, std::string> ParseConninfo(const std::string& conninfo) {
  std::map<std::string, std::string> values;
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    ADD_FAILURE() << "libpq rejects the conninfo: " << (error != nullptr ? error : "?");
    PQfreemem(error);
    return values;
  }
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) values[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  return values;
}

TEST(PostgresUrlTest, ParsesEveryPart) {
  ASSERT_OK_AND_ASSIGN(PostgresTarget target,
                       ParsePostgresUrl("postgres://shop_app:s3cret-pw@db.internal:6543/shop"));
  EXPECT_EQ(target.host(), "db.internal");
  EXPECT_EQ(target.port(), "6543");
  EXPECT_EQ(target.database(), "shop");
  EXPECT_EQ(target.user(), "shop_app");
  EXPECT_EQ(target.Describe(), "db.internal:6543, database \"shop\"");

  std::map<std::string, std::string> conninfo = ParseConninfo(target.conninfo());
  EXPECT_EQ(conninfo["host"], "db.internal");
  EXPECT_EQ(conninfo["port"], "6543");
  EXPECT_EQ(conninfo["dbname"], "shop");
  EXPECT_EQ(conninfo["user"], "shop_app");
  EXPECT_EQ(conninfo["password"], "s3cret-pw");
  EXPECT_EQ(conninfo["connect_timeout"], std::to_string(kDefaultPostgresConnectTimeoutSeconds));
  EXPECT_EQ(conninfo["application_name"], "enhancer");
}

TEST(PostgresUrlTest, AcceptsBothSchemesAndDefaultsThePort) {
  for (const char* url : {"postgres://u@10.0.0.5/shop", "postgresql://u@10.0.0.5/shop"}) {
    ASSERT_OK_AND_ASSIGN(PostgresTarget target, ParsePostgresUrl(url));
    EXPECT_EQ(target.host(), "10.0.0.5") << url;
    EXPECT_FALSE(target.port().empty()) << url;  // libpq's default, 5432 unless PGPORT says
    EXPECT_EQ(target.database(), "shop") << url;
  }
}

TEST(PostgresUrlTest, KeepsTheUrlsOwnParameters) {
  ASSERT_OK_AND_ASSIGN(
      PostgresTarget target,
      ParsePostgresUrl(
          "postgresql://u:p@h/db?sslmode=require&connect_timeout=3&application_name=x"));
  std::map<std::string, std::string> conninfo = ParseConninfo(target.conninfo());
  EXPECT_EQ(conninfo["sslmode"], "require");
  EXPECT_EQ(conninfo["connect_timeout"], "3");
  EXPECT_EQ(conninfo["application_name"], "x");
}

TEST(PostgresUrlTest, DecodesAndQuotesAwkwardPasswords) {
  // %40 is "@", %27 a quote, %5C a backslash, %20 a space: all must reach libpq intact.
  ASSERT_OK_AND_ASSIGN(PostgresTarget target,
                       ParsePostgresUrl("postgres://u:a%40b%27c%5Cd%20e@h:5432/db"));
  EXPECT_EQ(ParseConninfo(target.conninfo())["password"], "a@b'c\\d e");
  EXPECT_EQ(target.Redact("x a@b'c\\d e y a%40b%27c%5Cd%20e z"), "x *** y *** z");
}

TEST(PostgresUrlTest, DescriptionAndRedactionNeverShowThePassword) {
  ASSERT_OK_AND_ASSIGN(PostgresTarget target,
                       ParsePostgresUrl("postgres://u:Hunter2Secret@h:5432/db"));
  EXPECT_EQ(target.Describe().find("Hunter2Secret"), std::string::npos);
  EXPECT_EQ(target.Redact("login as u/Hunter2Secret failed"), "login as u/*** failed");
}

TEST(PostgresUrlTest, RefusesOtherSchemesWithoutQuotingTheRest) {
  for (const char* url : {"mysql://u:Hunter2Secret@h/db", "sqlite://data/x.db", "", "h:5432/db"}) {
    Result<PostgresTarget> target = ParsePostgresUrl(url);
    EXPECT_CODE(target, StatusCode::kInvalidArgument) << url;
    if (!target) {
      EXPECT_EQ(target.error().message().find("Hunter2Secret"), std::string::npos);
      EXPECT_NE(target.error().message().find("postgres://"), std::string::npos);
    }
  }
}

TEST(PostgresUrlTest, RefusesWhatLibpqRefusesWithoutThePassword) {
  for (const char* url : {"postgres://u:Hunter2%ZZSecret@h/db",  // a broken %-escape
                          "postgres://u:Hunter2Secret@h/db?no_such_parameter=1"}) {
    Result<PostgresTarget> target = ParsePostgresUrl(url);
    EXPECT_CODE(target, StatusCode::kInvalidArgument) << url;
    if (!target) {
      EXPECT_EQ(target.error().message().find("Hunter2"), std::string::npos)
          << target.error().message();
    }
  }
}

}  // namespace
}  // namespace enhancer

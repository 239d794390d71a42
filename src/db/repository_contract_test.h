// The Repository contract: one test suite every implementation must pass (SQLite in db_test,
// PostgreSQL in db_postgres_test), written against the interface only.
//
// To run it on an implementation, compile repository_contract_test.cc into that implementation's
// test binary and instantiate it with a harness factory:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, RepositoryContractTest,
//                            ::testing::Values(RepositoryContractParam{"Sqlite", MakeHarness}),
//                            RepositoryContractParamName);
//
// A harness that cannot make its database (a server that did not start) returns why from Open(),
// so every test fails with that reason.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "core/clock.h"
#include "db/repository.h"

namespace enhancer {

// One empty database for one test.
class RepositoryHarness {
 public:
  virtual ~RepositoryHarness() = default;

  // Opens a repository on this harness's database, NOT migrated, stamping times from clock().
  // Called again after the previous repository was destroyed, it opens the same database, with
  // whatever the earlier one stored.
  virtual Result<std::unique_ptr<Repository>> Open() = 0;

  // The clock every repository from Open() uses.
  virtual FakeClock& clock() = 0;
};

struct RepositoryContractParam {
  std::string name;  // letters and digits only: it becomes part of the test name
  std::function<std::unique_ptr<RepositoryHarness>()> make_harness;
};

// Shows the name, not the bytes, when gtest prints a parameter.
inline void PrintTo(const RepositoryContractParam& param, std::ostream* os) { *os << param.name; }

inline std::string RepositoryContractParamName(
    const ::testing::TestParamInfo<RepositoryContractParam>& info) {
  return info.param.name;
}

class RepositoryContractTest : public ::testing::TestWithParam<RepositoryContractParam> {
 protected:
  void SetUp() override;

  // Closes the repository and opens the same database again (a restart).
  void Reopen();

  // A product named `name` in `category`, created now.
  Product Create(const std::string& name, const std::string& category = "shoes");

  // An image whose key and other fields derive from `key`.
  static ProductImage MakeImage(const std::string& key);

  std::unique_ptr<RepositoryHarness> harness_;
  std::unique_ptr<Repository> repo_;
};

}  // namespace enhancer

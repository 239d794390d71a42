// Test helpers for Status and Result<T> in the net and aws tests: assert success with the error
// shown on failure, and assert a specific error code (never just "not OK"). Test-only; include
// after gtest. (The same shape as src/db/status_test_macros.h, which this folder cannot reach.)
#pragma once

#include <gtest/gtest.h>

#include <utility>

#include "core/status.h"

namespace enhancer::net_testing {

inline Status StatusOf(const Status& status) { return status; }
template <typename T>
Status StatusOf(const Result<T>& result) {
  return result.error();
}

}  // namespace enhancer::net_testing

#define NET_TEST_CONCAT_INNER(a, b) a##b
#define NET_TEST_CONCAT(a, b) NET_TEST_CONCAT_INNER(a, b)

// EXPECT_OK(status_or_result), ASSERT_OK(...)
#define EXPECT_OK(expr)                                                \
  do {                                                                 \
    ::enhancer::Status s_ = ::enhancer::net_testing::StatusOf((expr)); \
    EXPECT_TRUE(s_.ok()) << #expr << ": " << s_.ToString();            \
  } while (0)
#define ASSERT_OK(expr)                                                \
  do {                                                                 \
    ::enhancer::Status s_ = ::enhancer::net_testing::StatusOf((expr)); \
    ASSERT_TRUE(s_.ok()) << #expr << ": " << s_.ToString();            \
  } while (0)

// EXPECT_CODE(status_or_result, StatusCode::kNotFound)
#define EXPECT_CODE(expr, expected_code)                                     \
  do {                                                                       \
    ::enhancer::Status s_ = ::enhancer::net_testing::StatusOf((expr));       \
    EXPECT_EQ(s_.code(), (expected_code)) << #expr << ": " << s_.ToString(); \
  } while (0)

// ASSERT_OK_AND_ASSIGN(auto response, client->Send(request, {}));
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  NET_ASSERT_OK_AND_ASSIGN_IMPL(NET_TEST_CONCAT(result_, __LINE__), lhs, expr)
#define NET_ASSERT_OK_AND_ASSIGN_IMPL(result, lhs, expr)                         \
  auto result = (expr);                                                          \
  ASSERT_TRUE(result.has_value()) << #expr << ": " << result.error().ToString(); \
  lhs = std::move(*result)

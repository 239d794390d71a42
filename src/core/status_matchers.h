// Test helpers for Status and Result<T>, for every module's tests: assert success with the error
// shown on failure, and assert a specific error code (never just "not OK"). Test-only; include
// after gtest.
#pragma once

#include <gtest/gtest.h>

#include <utility>

#include "core/status.h"

namespace enhancer::testing_internal {

inline Status StatusOf(const Status& status) { return status; }
template <typename T>
Status StatusOf(const Result<T>& result) {
  return result.error();
}

template <typename T>
::testing::AssertionResult IsOk(const char* text, const T& value) {
  Status status = StatusOf(value);
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << text << ": " << status.ToString();
}

template <typename T>
::testing::AssertionResult HasCode(const char* text, const char* /*code_text*/, const T& value,
                                   StatusCode code) {
  Status status = StatusOf(value);
  if (status.code() == code) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << text << ": expected " << StatusCodeName(code) << ", got " << status.ToString();
}

}  // namespace enhancer::testing_internal

#define ENHANCER_TEST_CONCAT_INNER(a, b) a##b
#define ENHANCER_TEST_CONCAT(a, b) ENHANCER_TEST_CONCAT_INNER(a, b)

// EXPECT_OK(status_or_result) << "more context";  ASSERT_OK(...)
#define EXPECT_OK(expr) EXPECT_PRED_FORMAT1(::enhancer::testing_internal::IsOk, expr)
#define ASSERT_OK(expr) ASSERT_PRED_FORMAT1(::enhancer::testing_internal::IsOk, expr)

// EXPECT_CODE(status_or_result, StatusCode::kNotFound) << "more context";
#define EXPECT_CODE(expr, code) \
  EXPECT_PRED_FORMAT2(::enhancer::testing_internal::HasCode, expr, code)
#define ASSERT_CODE(expr, code) \
  ASSERT_PRED_FORMAT2(::enhancer::testing_internal::HasCode, expr, code)

// ASSERT_OK_AND_ASSIGN(auto product, repo->GetProduct(1));
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ENHANCER_ASSERT_OK_AND_ASSIGN_IMPL(ENHANCER_TEST_CONCAT(result_, __LINE__), lhs, expr)
#define ENHANCER_ASSERT_OK_AND_ASSIGN_IMPL(result, lhs, expr)                    \
  auto result = (expr);                                                          \
  ASSERT_TRUE(result.has_value()) << #expr << ": " << result.error().ToString(); \
  lhs = std::move(*result)

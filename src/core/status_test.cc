#include "core/status.h"

#include <gtest/gtest.h>

#include <memory>

namespace enhancer {
namespace {

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "ok");
}

TEST(StatusTest, CarriesCodeMessageAndContext) {
  Status s = NotFoundError("product 42 does not exist").WithContext("loading");
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "loading: product 42 does not exist");
  EXPECT_EQ(s.ToString(), "not_found: loading: product 42 does not exist");
}

TEST(StatusTest, TransientCodesAreTheRetryableOnes) {
  struct Case { StatusCode code; bool transient; };
  for (Case c : {Case{StatusCode::kInvalidArgument, false}, Case{StatusCode::kNotFound, false},
                 Case{StatusCode::kFailedPrecondition, false}, Case{StatusCode::kAlreadyExists, false},
                 Case{StatusCode::kUnavailable, true}, Case{StatusCode::kDeadlineExceeded, true},
                 Case{StatusCode::kResourceExhausted, true}, Case{StatusCode::kInternal, true}}) {
    EXPECT_EQ(IsTransient(c.code), c.transient) << StatusCodeName(c.code);
  }
}

TEST(ResultTest, HoldsValueOrError) {
  Result<int> v = 7;
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, 7);
  EXPECT_TRUE(v.error().ok());

  Result<int> e = InvalidArgumentError("bad");
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().code(), StatusCode::kInvalidArgument);
}

TEST(ResultTest, MovesOutMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(3);
  std::unique_ptr<int> p = *std::move(r);
  EXPECT_EQ(*p, 3);
}

}  // namespace
}  // namespace enhancer

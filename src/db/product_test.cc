#include "db/product.h"

#include <gtest/gtest.h>

namespace enhancer {
namespace {

TEST(ProductStatusTest, NamesRoundTrip) {
  const std::pair<ProductStatus, std::string_view> kCases[] = {
      {ProductStatus::kDraft, "draft"},           {ProductStatus::kQueued, "queued"},
      {ProductStatus::kProcessing, "processing"}, {ProductStatus::kPendingReview, "pending_review"},
      {ProductStatus::kApproved, "approved"},     {ProductStatus::kRejected, "rejected"},
      {ProductStatus::kFailed, "failed"},
  };
  for (const auto& [status, name] : kCases) {
    EXPECT_EQ(ProductStatusName(status), name);
    EXPECT_EQ(ParseProductStatus(name), status) << name;
  }
}

TEST(ProductStatusTest, UnknownNamesDoNotParse) {
  for (std::string_view name : {"", "Draft", "pending-review", "done", "draft "}) {
    EXPECT_EQ(ParseProductStatus(name), std::nullopt) << name;
  }
}

TEST(ImageStatusTest, NamesRoundTrip) {
  const std::pair<ImageStatus, std::string_view> kCases[] = {
      {ImageStatus::kPendingReview, "pending_review"},
      {ImageStatus::kApproved, "approved"},
      {ImageStatus::kRejected, "rejected"},
  };
  for (const auto& [status, name] : kCases) {
    EXPECT_EQ(ImageStatusName(status), name);
    EXPECT_EQ(ParseImageStatus(name), status) << name;
  }
}

TEST(ImageStatusTest, ProductOnlyNamesDoNotParse) {
  for (std::string_view name : {"draft", "failed", "", "APPROVED"}) {
    EXPECT_EQ(ParseImageStatus(name), std::nullopt) << name;
  }
}

}  // namespace
}  // namespace enhancer

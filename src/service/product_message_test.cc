#include "service/product_message.h"

#include <gtest/gtest.h>

namespace enhancer {
namespace {

TEST(ProductMessageTest, AcceptsTheSeedsFormsAndJson) {
  struct Case { std::string body; int64_t id; std::optional<int> count; };
  for (const Case& c : {Case{"123", 123, {}}, Case{" 42\n", 42, {}},
                        Case{R"({"product_id": 7})", 7, {}}, Case{R"({"product_id": "8"})", 8, {}},
                        Case{R"({"product_id": 9, "count": 5})", 9, 5}}) {
    Result<ProductMessage> m = ParseProductMessage(c.body);
    ASSERT_TRUE(m.has_value()) << c.body << ": " << m.error().ToString();
    EXPECT_EQ(m->product_id, c.id);
    EXPECT_EQ(m->count, c.count);
  }
}

TEST(ProductMessageTest, RefusesMalformedBodiesWithAClearReason) {
  struct Case { std::string body; std::string reason; };
  for (const Case& c : {Case{"", "empty body"}, Case{"abc", "not a number"}, Case{"12abc", "not a number"},
                        Case{"-5", "out of range"}, Case{"0", "out of range"},
                        Case{"99999999999999999999999", "out of range"},
                        Case{"{", "not valid JSON"}, Case{"{}", "no product_id"},
                        Case{R"({"product_id": 1.5})", "not an integer"},
                        Case{R"({"product_id": null})", "not an integer"},
                        Case{R"({"product_id": 3, "count": 11})", "count must be"}}) {
    Result<ProductMessage> m = ParseProductMessage(c.body);
    ASSERT_FALSE(m.has_value()) << c.body;
    EXPECT_EQ(m.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(m.error().message().find(c.reason), std::string::npos) << m.error().message();
    EXPECT_NE(m.error().message().find("malformed message"), std::string::npos);
  }
}

TEST(ProductMessageTest, FormatRoundTrips) {
  for (ProductMessage m : {ProductMessage{5, {}}, ProductMessage{6, 4}}) {
    Result<ProductMessage> back = ParseProductMessage(FormatProductMessage(m));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->product_id, m.product_id);
    EXPECT_EQ(back->count, m.count);
  }
  EXPECT_EQ(FormatProductMessage({5, {}}), "5");
}

}  // namespace
}  // namespace enhancer

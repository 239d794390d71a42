// ProductMessage: the body of a queue message, as the seed sends it ("123") or as JSON
// ({"product_id": 123}, optionally with "count": N to re-enhance with another number of images).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace enhancer {

struct ProductMessage {
  int64_t product_id = 0;
  std::optional<int> count;  // 1-10 when given
};

// InvalidArgument with a message that quotes (a prefix of) the body when it is neither form.
Result<ProductMessage> ParseProductMessage(std::string_view body);

// The body `enhancer enqueue` and the API send: "123", or JSON when a count is given.
std::string FormatProductMessage(const ProductMessage& message);

}  // namespace enhancer

#include "service/product_message.h"

#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

namespace enhancer {
namespace {

constexpr int64_t kMaxProductId = 9'007'199'254'740'991;  // 2^53 - 1: exact in JSON everywhere

std::string Quote(std::string_view body) {
  constexpr size_t kMax = 60;
  std::string shown(body.substr(0, kMax));
  for (char& c : shown) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return "\"" + shown + (body.size() > kMax ? "...\"" : "\"");
}

Status BadBody(std::string_view body, std::string_view why) {
  return InvalidArgumentError("malformed message " + Quote(body) + ": " + std::string(why) +
                              " (expected a product id such as 123 or {\"product_id\": 123})");
}

Result<int64_t> CheckId(int64_t id, std::string_view body) {
  if (id < 1 || id > kMaxProductId) return BadBody(body, "product id out of range");
  return id;
}

}  // namespace

Result<ProductMessage> ParseProductMessage(std::string_view body) {
  std::string_view trimmed = body;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) trimmed.remove_prefix(1);
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back()))) trimmed.remove_suffix(1);
  if (trimmed.empty()) return BadBody(body, "empty body");

  if (trimmed.front() != '{') {
    int64_t id = 0;
    auto [end, ec] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), id);
    if (ec == std::errc::result_out_of_range) return BadBody(body, "product id out of range");
    if (ec != std::errc() || end != trimmed.data() + trimmed.size()) {
      return BadBody(body, "not a number");
    }
    Result<int64_t> checked = CheckId(id, body);
    if (!checked) return checked.error();
    return ProductMessage{*checked, std::nullopt};
  }

  nlohmann::json json = nlohmann::json::parse(trimmed, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return BadBody(body, "not valid JSON");
  auto id_field = json.find("product_id");
  if (id_field == json.end()) return BadBody(body, "no product_id");
  int64_t id = 0;
  if (id_field->is_number_integer()) {
    id = id_field->get<int64_t>();
    if (id_field->is_number_unsigned() && id_field->get<uint64_t>() > uint64_t(kMaxProductId)) {
      return BadBody(body, "product id out of range");
    }
  } else if (id_field->is_string()) {
    Result<ProductMessage> inner = ParseProductMessage(id_field->get<std::string>());
    if (!inner) return BadBody(body, "product_id is not a number");
    id = inner->product_id;
  } else {
    return BadBody(body, "product_id is not an integer");
  }
  Result<int64_t> checked = CheckId(id, body);
  if (!checked) return checked.error();
  ProductMessage message{*checked, std::nullopt};
  if (auto count = json.find("count"); count != json.end() && !count->is_null()) {
    if (!count->is_number_integer() || count->get<int64_t>() < 1 || count->get<int64_t>() > 10) {
      return BadBody(body, "count must be an integer from 1 to 10");
    }
    message.count = count->get<int>();
  }
  return message;
}

std::string FormatProductMessage(const ProductMessage& message) {
  if (!message.count) return std::to_string(message.product_id);
  return nlohmann::json{{"product_id", message.product_id}, {"count", *message.count}}.dump();
}

}  // namespace enhancer

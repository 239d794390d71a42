#include "db/product.h"

#include <array>
#include <utility>

namespace enhancer {
namespace {

// The names as stored in the database and shown by the API; one table per enum so a name and
// its parse cannot drift apart.
constexpr std::array<std::pair<ProductStatus, std::string_view>, 7> kProductStatusNames = {{
    {ProductStatus::kDraft, "draft"},
    {ProductStatus::kQueued, "queued"},
    {ProductStatus::kProcessing, "processing"},
    {ProductStatus::kPendingReview, "pending_review"},
    {ProductStatus::kApproved, "approved"},
    {ProductStatus::kRejected, "rejected"},
    {ProductStatus::kFailed, "failed"},
}};

constexpr std::array<std::pair<ImageStatus, std::string_view>, 3> kImageStatusNames = {{
    {ImageStatus::kPendingReview, "pending_review"},
    {ImageStatus::kApproved, "approved"},
    {ImageStatus::kRejected, "rejected"},
}};

template <typename Enum, size_t N>
std::string_view NameOf(const std::array<std::pair<Enum, std::string_view>, N>& names, Enum e) {
  for (const auto& [value, name] : names) {
    if (value == e) return name;
  }
  return "unknown";
}

template <typename Enum, size_t N>
std::optional<Enum> Parse(const std::array<std::pair<Enum, std::string_view>, N>& names,
                          std::string_view text) {
  for (const auto& [value, name] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view ProductStatusName(ProductStatus s) { return NameOf(kProductStatusNames, s); }

std::optional<ProductStatus> ParseProductStatus(std::string_view name) {
  return Parse(kProductStatusNames, name);
}

std::string_view ImageStatusName(ImageStatus s) { return NameOf(kImageStatusNames, s); }

std::optional<ImageStatus> ParseImageStatus(std::string_view name) {
  return Parse(kImageStatusNames, name);
}

}  // namespace enhancer

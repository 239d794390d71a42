#include "plan/recipe.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <nlohmann/json.hpp>

namespace enhancer {
namespace {

using Json = nlohmann::json;

// NaN takes the identity value: a planner that sends garbage gets no change, not an extreme.
double ClampOr(double value, double lo, double hi, double identity) {
  if (std::isnan(value)) return identity;
  return std::clamp(value, lo, hi);
}

std::string Slug(std::string_view text) {
  std::string slug;
  bool pending_dash = false;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      if (pending_dash && !slug.empty()) slug += '-';
      pending_dash = false;
      slug += static_cast<char>(std::tolower(u));
    } else {
      pending_dash = true;
    }
    if (slug.size() >= RecipeBounds::kNameMaxBytes) break;
  }
  slug.resize(std::min(slug.size(), RecipeBounds::kNameMaxBytes));
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "variant" : slug;
}

// Cuts at a byte limit without splitting a UTF-8 sequence.
void TruncateUtf8(std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
}

std::string OneLine(std::string_view text) {
  std::string line;
  bool pending_space = false;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == ' ') {
      pending_space = true;
      continue;
    }
    if (pending_space && !line.empty()) line += ' ';
    pending_space = false;
    line += c;
  }
  TruncateUtf8(line, RecipeBounds::kPromptMaxBytes);
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

Status ReadNumber(const Json& object, const char* key, double& out) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return OkStatus();
  if (!it->is_number()) {
    return InvalidArgumentError(std::string("recipe field \"") + key + "\" must be a number");
  }
  out = it->get<double>();
  return OkStatus();
}

Status ReadString(const Json& object, const char* key, std::string& out) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return OkStatus();
  if (!it->is_string()) {
    return InvalidArgumentError(std::string("recipe field \"") + key + "\" must be a string");
  }
  out = it->get<std::string>();
  return OkStatus();
}

}  // namespace

Recipe Clamp(const Recipe& recipe) {
  using B = RecipeBounds;
  Recipe out = recipe;
  out.name = Slug(recipe.name);
  out.prompt = OneLine(recipe.prompt);
  out.black_point = ClampOr(recipe.black_point, 0.0, B::kBlackPointMax, 0.0);
  out.white_point = ClampOr(recipe.white_point, B::kWhitePointMin, 1.0, 1.0);
  if (out.white_point < out.black_point + B::kMinLevelsRange) {
    // Keep the requested white point where possible and give way on the black one.
    out.black_point = std::max(0.0, out.white_point - B::kMinLevelsRange);
  }
  for (double& gain : out.white_balance) gain = ClampOr(gain, B::kGainMin, B::kGainMax, 1.0);
  out.gamma = ClampOr(recipe.gamma, B::kGammaMin, B::kGammaMax, 1.0);
  out.contrast = ClampOr(recipe.contrast, B::kContrastMin, B::kContrastMax, 1.0);
  out.saturation = ClampOr(recipe.saturation, B::kSaturationMin, B::kSaturationMax, 1.0);
  out.denoise = ClampOr(recipe.denoise, 0.0, B::kDenoiseMax, 0.0);
  out.sharpen = ClampOr(recipe.sharpen, 0.0, B::kSharpenMax, 0.0);
  out.sharpen_radius =
      ClampOr(recipe.sharpen_radius, B::kSharpenRadiusMin, B::kSharpenRadiusMax, 1.0);
  out.auto_levels = ClampOr(recipe.auto_levels, 0.0, B::kAutoLevelsMax, 0.0);
  return out;
}

bool IsIdentity(const Recipe& recipe) {
  const Recipe identity;
  return recipe.black_point == identity.black_point && recipe.white_point == identity.white_point &&
         recipe.white_balance == identity.white_balance && recipe.gamma == identity.gamma &&
         recipe.contrast == identity.contrast && recipe.saturation == identity.saturation &&
         recipe.denoise == identity.denoise && recipe.sharpen == identity.sharpen &&
         recipe.auto_levels == identity.auto_levels && recipe.grey_world == identity.grey_world;
}

std::string ToJson(const Recipe& recipe) {
  // NaN and infinities have no JSON form; a recipe holding them was never clamped.
  auto number = [](double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); };
  Json json = {
      {"name", recipe.name},
      {"prompt", recipe.prompt},
      {"black_point", number(recipe.black_point)},
      {"white_point", number(recipe.white_point)},
      {"white_balance",
       Json::array({number(recipe.white_balance[0]), number(recipe.white_balance[1]),
                    number(recipe.white_balance[2])})},
      {"gamma", number(recipe.gamma)},
      {"contrast", number(recipe.contrast)},
      {"saturation", number(recipe.saturation)},
      {"denoise", number(recipe.denoise)},
      {"sharpen", number(recipe.sharpen)},
      {"sharpen_radius", number(recipe.sharpen_radius)},
  };
  // Only when asked for: a resolved recipe (and every planner's) has concrete numbers alone.
  if (recipe.auto_levels != 0) json["auto_levels"] = number(recipe.auto_levels);
  if (recipe.grey_world) json["grey_world"] = true;
  // Invalid UTF-8 in a name or prompt is replaced rather than thrown about.
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<Recipe> RecipeFromJson(std::string_view text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return InvalidArgumentError("recipe is not valid JSON");
  if (!json.is_object()) return InvalidArgumentError("recipe must be a JSON object");

  Recipe recipe;
  ENHANCER_RETURN_IF_ERROR(ReadString(json, "name", recipe.name));
  ENHANCER_RETURN_IF_ERROR(ReadString(json, "prompt", recipe.prompt));
  ENHANCER_RETURN_IF_ERROR(ReadNumber(json, "black_point", recipe.black_point));
  ENHANCER_RETURN_IF_ERROR(ReadNumber(json, "white_point", recipe.white_point));
  ENHANCER_RETURN_IF_ERROR(ReadNumber(json, "gamma", recipe.gamma));
  ENHANCER_RETURN_IF_ERROR(ReadNumber(json, "contrast", recipe.contrast));
  ENHANCER_RETURN_IF_ERROR(ReadNumber(json, "saturation", recipe.saturation));
  ENHANCER_RETURN_IF_ERROR(ReadNumber(json, "denoise", recipe.denoise));
  ENHANCER_RETURN_IF_ERROR(ReadNumber(json, "sharpen", recipe.sharpen));
  ENHANCER_RETURN_IF_ERROR(ReadNumber(json, "sharpen_radius", recipe.sharpen_radius));
  ENHANCER_RETURN_IF_ERROR(ReadNumber(json, "auto_levels", recipe.auto_levels));
  auto grey_world = json.find("grey_world");
  if (grey_world != json.end() && !grey_world->is_null()) {
    if (!grey_world->is_boolean()) {
      return InvalidArgumentError("recipe field \"grey_world\" must be true or false");
    }
    recipe.grey_world = grey_world->get<bool>();
  }
  auto gains = json.find("white_balance");
  if (gains != json.end() && !gains->is_null()) {
    if (!gains->is_array() || gains->size() != 3) {
      return InvalidArgumentError("recipe field \"white_balance\" must be an array of 3 numbers");
    }
    for (size_t i = 0; i < 3; ++i) {
      const Json& gain = (*gains)[i];
      if (gain.is_null()) continue;
      if (!gain.is_number()) {
        return InvalidArgumentError("recipe field \"white_balance\" must be an array of 3 numbers");
      }
      recipe.white_balance[i] = gain.get<double>();
    }
  }
  return recipe;
}

}  // namespace enhancer

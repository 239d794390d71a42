#include "plan/gemini_answer.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <vector>

#include "core/base64.h"

namespace enhancer {
namespace {

using Json = nlohmann::json;

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  const size_t end = text.find_last_not_of(kSpace);
  return text.substr(begin, end - begin + 1);
}

std::string StringAt(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// usageMetadata counts are int32 in the API, but proto JSON may write 64-bit integers as strings.
int64_t CountAt(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return 0;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() ? value : 0;
  }
  return 0;
}

TokenUsage ReadUsage(const Json& answer) {
  TokenUsage usage;
  auto it = answer.find("usageMetadata");
  if (it == answer.end() || !it->is_object()) return usage;
  usage.prompt = CountAt(*it, "promptTokenCount");
  usage.candidates = CountAt(*it, "candidatesTokenCount");
  usage.thoughts = CountAt(*it, "thoughtsTokenCount");
  usage.total = CountAt(*it, "totalTokenCount");
  return usage;
}

// The first candidate, or null with `problem` set when the request was blocked or nothing came
// back.
const Json* FirstCandidate(const Json& answer, std::string& problem) {
  auto feedback = answer.find("promptFeedback");
  if (feedback != answer.end() && feedback->is_object()) {
    const std::string block = StringAt(*feedback, "blockReason");
    if (!block.empty()) {
      problem = "the request was blocked: " + block;
      return nullptr;
    }
  }
  auto candidates = answer.find("candidates");
  if (candidates == answer.end() || !candidates->is_array() || candidates->empty() ||
      !(*candidates)[0].is_object()) {
    problem = "no candidate in the answer";
    return nullptr;
  }
  return &(*candidates)[0];
}

// The candidate's parts that are objects and not thoughts (thought summaries, and the interim
// "thought images" of thinking image models).
std::vector<const Json*> AnswerParts(const Json& candidate) {
  std::vector<const Json*> out;
  auto content = candidate.find("content");
  if (content == candidate.end() || !content->is_object()) return out;
  auto parts = content->find("parts");
  if (parts == content->end() || !parts->is_array()) return out;
  for (const Json& part : *parts) {
    if (!part.is_object()) continue;
    auto thought = part.find("thought");
    if (thought != part.end() && thought->is_boolean() && thought->get<bool>()) continue;
    out.push_back(&part);
  }
  return out;
}

// The model's text: every text part of the first candidate, thought summaries left out.
// Sets `problem` when there is nothing usable to read.
std::string CandidateText(const Json& answer, std::string& problem) {
  const Json* found = FirstCandidate(answer, problem);
  if (found == nullptr) return {};
  const Json& candidate = *found;
  const std::string finish = StringAt(candidate, "finishReason");
  // A missing finishReason is read as complete; anything but STOP may be cut or filtered.
  if (!finish.empty() && finish != "STOP") {
    problem = "finishReason " + finish;
    return {};
  }
  std::string text;
  for (const Json* part : AnswerParts(candidate)) text += StringAt(*part, "text");
  if (Trim(text).empty()) problem = "the answer has no text";
  return text;
}

std::vector<Recipe> ReadRecipes(std::string_view text, int count, std::string& problem) {
  Json json = Json::parse(StripJsonFence(text), nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    problem = "the answer is not JSON";
    return {};
  }
  const Json* list = nullptr;
  if (json.is_array()) {
    list = &json;  // a bare list is what was meant, even without the wrapping object
  } else if (json.is_object()) {
    auto it = json.find("recipes");
    if (it != json.end() && it->is_array()) list = &*it;
  }
  if (list == nullptr) {
    problem = "the answer has no \"recipes\" list";
    return {};
  }
  if (static_cast<int>(list->size()) != count) {
    problem = std::to_string(list->size()) + " recipes instead of " + std::to_string(count);
    return {};
  }
  std::vector<Recipe> recipes;
  for (size_t i = 0; i < list->size(); ++i) {
    const Json& item = (*list)[i];
    if (!item.is_object()) {
      problem = "recipe " + std::to_string(i + 1) + " is not an object";
      return {};
    }
    Result<Recipe> recipe =
        RecipeFromJson(item.dump(-1, ' ', false, Json::error_handler_t::replace));
    if (!recipe) {
      problem = "recipe " + std::to_string(i + 1) + ": " + recipe.error().message();
      return {};
    }
    recipes.push_back(Clamp(*recipe));
  }
  MakeNamesDistinct(recipes);
  return recipes;
}

}  // namespace

std::string_view StripJsonFence(std::string_view text) {
  const size_t fence = text.find("```");
  if (fence == std::string_view::npos) return Trim(text);
  const size_t line_end = text.find('\n', fence);
  if (line_end == std::string_view::npos) return Trim(text.substr(fence + 3));
  std::string_view inside = text.substr(line_end + 1);
  const size_t close = inside.find("```");
  if (close != std::string_view::npos) inside = inside.substr(0, close);
  return Trim(inside);
}

void MakeNamesDistinct(std::vector<Recipe>& recipes) {
  std::set<std::string> taken;
  for (Recipe& recipe : recipes) {
    if (taken.insert(recipe.name).second) continue;
    for (int n = 2;; ++n) {
      const std::string suffix = "-" + std::to_string(n);
      std::string base = recipe.name.substr(0, RecipeBounds::kNameMaxBytes - suffix.size());
      while (!base.empty() && base.back() == '-') base.pop_back();
      std::string candidate = base + suffix;
      if (taken.insert(candidate).second) {
        recipe.name = std::move(candidate);
        break;
      }
    }
  }
}

// The body as JSON, with what every answer reports (tokens, model version) read into `answer`;
// nothing, and answer.problem set, when the body is not a JSON object.
template <typename Answer>
std::optional<Json> ParseAnswer(std::string_view body, Answer& answer) {
  Json json = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) {
    answer.problem = "the response body is not a JSON object";
    return std::nullopt;
  }
  answer.tokens = ReadUsage(json);
  answer.model_version = StringAt(json, "modelVersion");
  return json;
}

GeminiAnswer ReadGeminiAnswer(std::string_view body, int count) {
  GeminiAnswer answer;
  const std::optional<Json> parsed = ParseAnswer(body, answer);
  if (!parsed) return answer;
  const Json& json = *parsed;
  const std::string text = CandidateText(json, answer.problem);
  if (!answer.problem.empty()) return answer;
  answer.recipes = ReadRecipes(text, count, answer.problem);
  return answer;
}

GeminiImageAnswer ReadGeminiImageAnswer(std::string_view body) {
  GeminiImageAnswer answer;
  const std::optional<Json> parsed = ParseAnswer(body, answer);
  if (!parsed) return answer;
  const Json& json = *parsed;
  const Json* candidate = FirstCandidate(json, answer.problem);
  if (candidate == nullptr) return answer;
  // An image part is whole or absent, so one is taken whatever the finishReason says.
  for (const Json* part : AnswerParts(*candidate)) {
    answer.text += StringAt(*part, "text");
    auto inline_data = part->find("inlineData");
    if (inline_data == part->end() || !inline_data->is_object() || !answer.mime_type.empty()) {
      continue;
    }
    const std::string mime_type = StringAt(*inline_data, "mimeType");
    if (!mime_type.starts_with("image/")) continue;
    std::optional<std::string> image = Base64Decode(StringAt(*inline_data, "data"));
    if (!image || image->empty()) {
      answer.problem = "the " + mime_type + " part is not valid base64 data";
      return answer;
    }
    answer.mime_type = mime_type;
    answer.image = *std::move(image);
  }
  if (!answer.image.empty()) return answer;
  const std::string finish = StringAt(*candidate, "finishReason");
  if (!finish.empty() && finish != "STOP") {
    answer.problem = "no image, finishReason " + finish;
  } else if (Trim(answer.text).empty()) {
    answer.problem = "no image and no text in the answer";
  } else {
    answer.problem = "text only, no image";
  }
  return answer;
}

}  // namespace enhancer

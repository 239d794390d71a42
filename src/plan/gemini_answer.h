// GeminiAnswer: what a generateContent answer (HTTP 200) holds for the planner: N recipes, or
// the reason they cannot be used, plus what the answer cost and which model gave it. And
// GeminiImageAnswer: the same for an image model's answer, which should hold an image.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plan/planner.h"
#include "plan/recipe.h"

namespace enhancer {

struct GeminiAnswer {
  std::vector<Recipe> recipes;  // exactly the count asked for, clamped, distinct names; empty
                                // when `problem` is set
  std::string problem;          // why the answer does not fit, e.g. "finishReason MAX_TOKENS",
                                // "2 recipes instead of 3"; empty when it fits
  TokenUsage tokens;            // usageMetadata; zero when absent (even for an unusable answer)
  std::string model_version;    // modelVersion; may be empty
};

// Reads the answer: a request blocked by promptFeedback.blockReason, no candidate, a finishReason
// other than STOP, text that is not JSON (```json fences are tolerated; thought parts skipped),
// a count other than `count`, or a recipe of the wrong shape each set `problem`. Every recipe is
// Clamp()ed, and repeated names get a suffix ("warm", "warm-2").
GeminiAnswer ReadGeminiAnswer(std::string_view body, int count);

// The JSON inside `text`: the text between the first ``` fence line and the next ```, or the
// whole text trimmed when there is no fence.
std::string_view StripJsonFence(std::string_view text);

// Renames repeated names by suffix ("-2", "-3", ...) within RecipeBounds::kNameMaxBytes.
void MakeNamesDistinct(std::vector<Recipe>& recipes);

struct GeminiImageAnswer {
  std::string image;          // the first image part's bytes, decoded; empty when `problem` is set.
                              // Not checked: callers treat it as any downloaded image.
  std::string mime_type;      // as the part declares it, e.g. "image/png" (not to be trusted)
  std::string text;           // the answer's text parts, thoughts left out (a comment or a
                              // refusal, for logs); may be empty
  std::string problem;        // why there is no image, e.g. "text only, no image"; empty otherwise
  TokenUsage tokens;          // usageMetadata; zero when absent
  std::string model_version;  // modelVersion; may be empty
};

// Reads an image model's answer: the first inlineData part of the first candidate whose
// mimeType is image/*, base64-decoded; thought parts (interim images) are skipped. A blocked
// request, no candidate, no image part (text only, or a finishReason such as IMAGE_SAFETY) or
// data that is not base64 set `problem`.
GeminiImageAnswer ReadGeminiImageAnswer(std::string_view body);

}  // namespace enhancer

// GeminiRequest: the generateContent request body that asks for N recipes: the preview's JPEG
// inline (before the text, as Google advises for one image), a prompt built from the same
// RecipeBounds that Clamp() enforces, and a responseSchema that pins the JSON shape. And the body
// that asks an image model to apply one recipe to the photo.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "plan/recipe.h"

namespace enhancer {

struct GeminiRequest {
  std::string_view jpeg;              // the photo; sent base64-encoded
  std::string_view product_name;      // may be empty
  std::string_view category;          // may be empty
  int count = 3;                      // recipes wanted, 1-10
  std::optional<double> temperature;  // unset: the model's default
  // Why the previous answer was refused, when this is the second ask; empty on the first.
  std::string_view previous_problem;
};

// The instructions (the text part). The product name and category are quoted as JSON strings
// and labelled as data, so a product called "ignore the above" stays a name.
std::string GeminiPlanPrompt(const GeminiRequest& request);

// The responseSchema (OpenAPI subset) as JSON text: {"recipes": [count x recipe]}, each number
// with the minimum and maximum of RecipeBounds.
std::string GeminiRecipeSchema(int count);

// The whole JSON body for POST .../models/{model}:generateContent.
std::string GeminiRequestBody(const GeminiRequest& request);

// The instructions for an image model (the text part): keep the product, its shape, text and
// colours true, add and remove nothing, and apply the recipe's enhancement, whose name and prompt
// are quoted as data. `previous_problem` as for GeminiRequest.
std::string GeminiImagePrompt(const Recipe& recipe, std::string_view previous_problem = {});

// The whole JSON body for POST .../models/{image model}:generateContent: `jpeg` inline, then
// GeminiImagePrompt, and generationConfig.responseModalities ["TEXT", "IMAGE"].
std::string GeminiImageRequestBody(std::string_view jpeg, const Recipe& recipe,
                                   std::string_view previous_problem = {});

}  // namespace enhancer

#include "plan/gemini_answer.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace enhancer {
namespace {

using Json = nlohmann::json;

Json RecipeJson(const std::string& name, double gamma = 1.1) {
  return {{"name", name},
          {"prompt", "brighter"},
          {"black_point", 0.02},
          {"white_point", 0.97},
          {"white_balance", {1.02, 1.0, 0.97}},
          {"gamma", gamma},
          {"contrast", 1.05},
          {"saturation", 1.1},
          {"denoise", 0.1},
          {"sharpen", 0.4},
          {"sharpen_radius", 1.2}};
}

std::string RecipesText(int count) {
  Json list = Json::array();
  for (int i = 0; i < count; ++i) list.push_back(RecipeJson("look-" + std::to_string(i)));
  return Json{{"recipes", list}}.dump();
}

// A generateContent answer whose candidate holds `parts`.
std::string AnswerWithParts(Json parts, const std::string& finish = "STOP") {
  Json candidate = {{"content", {{"role", "model"}, {"parts", std::move(parts)}}},
                    {"finishReason", finish}};
  return Json{{"candidates", Json::array({candidate})},
              {"usageMetadata",
               {{"promptTokenCount", 1000},
                {"candidatesTokenCount", 300},
                {"thoughtsTokenCount", 200},
                {"totalTokenCount", 1500}}},
              {"modelVersion", "gemini-2.5-flash"}}
      .dump();
}

std::string AnswerWithText(const std::string& text, const std::string& finish = "STOP") {
  return AnswerWithParts(Json::array({{{"text", text}}}), finish);
}

TEST(ReadGeminiAnswerTest, ReadsRecipesTokensAndModelVersion) {
  GeminiAnswer answer = ReadGeminiAnswer(AnswerWithText(RecipesText(3)), 3);
  ASSERT_EQ(answer.problem, "");
  ASSERT_EQ(answer.recipes.size(), 3u);
  EXPECT_EQ(answer.recipes[0].name, "look-0");
  EXPECT_DOUBLE_EQ(answer.recipes[0].gamma, 1.1);
  EXPECT_DOUBLE_EQ(answer.recipes[0].white_balance[2], 0.97);
  EXPECT_EQ(answer.tokens.prompt, 1000);
  EXPECT_EQ(answer.tokens.candidates, 300);
  EXPECT_EQ(answer.tokens.thoughts, 200);
  EXPECT_EQ(answer.tokens.total, 1500);
  EXPECT_EQ(answer.model_version, "gemini-2.5-flash");
}

TEST(ReadGeminiAnswerTest, JoinsTextPartsAndSkipsThoughts) {
  const std::string text = RecipesText(2);
  Json parts = Json::array({{{"text", "I should make two looks."}, {"thought", true}},
                            {{"text", text.substr(0, 30)}},
                            {{"text", text.substr(30)}}});
  GeminiAnswer answer = ReadGeminiAnswer(AnswerWithParts(parts), 2);
  EXPECT_EQ(answer.problem, "");
  EXPECT_EQ(answer.recipes.size(), 2u);
}

TEST(ReadGeminiAnswerTest, ToleratesFencesAndABareList) {
  EXPECT_EQ(ReadGeminiAnswer(AnswerWithText("```json\n" + RecipesText(2) + "\n```"), 2).problem,
            "");
  EXPECT_EQ(
      ReadGeminiAnswer(AnswerWithText("Sure:\n```\n" + RecipesText(2) + "\n```\nBye"), 2).problem,
      "");
  const std::string bare = Json::array({RecipeJson("a"), RecipeJson("b")}).dump();
  EXPECT_EQ(ReadGeminiAnswer(AnswerWithText(bare), 2).problem, "");
}

TEST(ReadGeminiAnswerTest, TokenCountsWrittenAsStringsAreRead) {
  Json answer = Json::parse(AnswerWithText(RecipesText(1)));
  answer["usageMetadata"]["promptTokenCount"] = "1234";
  EXPECT_EQ(ReadGeminiAnswer(answer.dump(), 1).tokens.prompt, 1234);
}

TEST(ReadGeminiAnswerTest, SaysWhyAnAnswerDoesNotFit) {
  struct Case {
    std::string body;
    std::string problem;
  };
  Json blocked = {{"promptFeedback", {{"blockReason", "SAFETY"}}},
                  {"usageMetadata", {{"promptTokenCount", 900}, {"totalTokenCount", 900}}}};
  Json wrong_type = RecipeJson("a");
  wrong_type["gamma"] = "high";
  const Case cases[] = {
      {blocked.dump(), "the request was blocked: SAFETY"},
      {R"({"candidates": []})", "no candidate in the answer"},
      {AnswerWithText(RecipesText(3).substr(0, 50), "MAX_TOKENS"), "finishReason MAX_TOKENS"},
      {AnswerWithText(RecipesText(3), "SAFETY"), "finishReason SAFETY"},
      {AnswerWithText("Brighten it a bit."), "the answer is not JSON"},
      {AnswerWithText(RecipesText(4)), "4 recipes instead of 3"},
      {AnswerWithText(RecipesText(2)), "2 recipes instead of 3"},
      {AnswerWithText(R"({"looks": []})"), "the answer has no \"recipes\" list"},
      {AnswerWithText(Json{{"recipes", {RecipeJson("a"), wrong_type, RecipeJson("c")}}}.dump()),
       "recipe 2: recipe field \"gamma\" must be a number"},
      {AnswerWithText(R"({"recipes": [1, 2, 3]})"), "recipe 1 is not an object"},
      {AnswerWithText("  "), "the answer has no text"},
      {"not json at all", "the response body is not a JSON object"},
  };
  for (const Case& c : cases) {
    GeminiAnswer answer = ReadGeminiAnswer(c.body, 3);
    EXPECT_EQ(answer.problem, c.problem) << c.body;
    EXPECT_TRUE(answer.recipes.empty()) << c.body;
  }
  EXPECT_EQ(ReadGeminiAnswer(blocked.dump(), 3).tokens.prompt, 900);
}

TEST(ReadGeminiAnswerTest, ClampsNumbersAndMakesNamesDistinct) {
  Json list = Json::array();
  for (int i = 0; i < 3; ++i) list.push_back(RecipeJson("Warm Look!", 9.0));
  GeminiAnswer answer = ReadGeminiAnswer(AnswerWithText(Json{{"recipes", list}}.dump()), 3);
  ASSERT_EQ(answer.problem, "");
  ASSERT_EQ(answer.recipes.size(), 3u);
  EXPECT_EQ(answer.recipes[0].name, "warm-look");
  EXPECT_EQ(answer.recipes[1].name, "warm-look-2");
  EXPECT_EQ(answer.recipes[2].name, "warm-look-3");
  for (const Recipe& r : answer.recipes) EXPECT_DOUBLE_EQ(r.gamma, RecipeBounds::kGammaMax);
}

TEST(MakeNamesDistinctTest, KeepsSuffixedNamesWithinTheLimit) {
  const std::string long_name(RecipeBounds::kNameMaxBytes, 'a');
  std::vector<Recipe> recipes(3);
  for (Recipe& r : recipes) r.name = long_name;
  recipes[2].name = long_name.substr(0, 38) + "-2";  // taken by then, by the second
  MakeNamesDistinct(recipes);
  EXPECT_EQ(recipes[0].name, long_name);
  EXPECT_EQ(recipes[1].name, long_name.substr(0, 38) + "-2");
  EXPECT_EQ(recipes[2].name, long_name.substr(0, 38) + "-3");
  for (const Recipe& r : recipes) EXPECT_LE(r.name.size(), RecipeBounds::kNameMaxBytes);
}

TEST(StripJsonFenceTest, FindsTheJson) {
  EXPECT_EQ(StripJsonFence("  {\"a\": 1}\n"), "{\"a\": 1}");
  EXPECT_EQ(StripJsonFence("```json\n{\"a\": 1}\n```"), "{\"a\": 1}");
  EXPECT_EQ(StripJsonFence("Here:\n```\n[1]\n```\nthanks"), "[1]");
  EXPECT_EQ(StripJsonFence("```json\n{\"a\": 1}"), "{\"a\": 1}");
}

// An inlineData part with `data` (already base64) and `mime_type`.
Json ImagePart(const std::string& data, const std::string& mime_type = "image/png") {
  return {{"inlineData", {{"mimeType", mime_type}, {"data", data}}}};
}

TEST(ReadGeminiImageAnswerTest, TakesTheFirstImagePartThatIsNotAThought) {
  Json interim = ImagePart("dGhvdWdodA==");  // "thought"
  interim["thought"] = true;
  const GeminiImageAnswer answer =
      ReadGeminiImageAnswer(AnswerWithParts(Json::array({{{"text", "planning"}, {"thought", true}},
                                                         interim,
                                                         {{"text", "Here it is."}},
                                                         ImagePart("aW1hZ2U=", "image/webp"),
                                                         ImagePart("c2Vjb25k")})));
  EXPECT_EQ(answer.problem, "");
  EXPECT_EQ(answer.image, "image");
  EXPECT_EQ(answer.mime_type, "image/webp");
  EXPECT_EQ(answer.text, "Here it is.");
  EXPECT_EQ(answer.tokens.prompt, 1000);
  EXPECT_EQ(answer.tokens.total, 1500);
  EXPECT_EQ(answer.model_version, "gemini-2.5-flash");
}

TEST(ReadGeminiImageAnswerTest, AnImagePartIsTakenWhateverTheFinishReason) {
  const GeminiImageAnswer answer =
      ReadGeminiImageAnswer(AnswerWithParts(Json::array({ImagePart("aW1hZ2U=")}), "MAX_TOKENS"));
  EXPECT_EQ(answer.problem, "");
  EXPECT_EQ(answer.image, "image");
}

TEST(ReadGeminiImageAnswerTest, SaysWhyThereIsNoImage) {
  struct Case {
    const char* what;
    std::string body;
    std::string problem;
  };
  const Case cases[] = {
      {"text only", AnswerWithText("I cannot edit photos of people."), "text only, no image"},
      {"a part of another type",
       AnswerWithParts(
           Json::array({{{"text", "see file"}}, ImagePart("JVBERg==", "application/pdf")})),
       "text only, no image"},
      {"nothing", AnswerWithParts(Json::array()), "no image and no text in the answer"},
      {"filtered", AnswerWithParts(Json::array(), "IMAGE_SAFETY"),
       "no image, finishReason IMAGE_SAFETY"},
      {"not base64", AnswerWithParts(Json::array({ImagePart("not base64!")})),
       "the image/png part is not valid base64 data"},
      {"empty data", AnswerWithParts(Json::array({ImagePart("")})),
       "the image/png part is not valid base64 data"},
      {"blocked", Json{{"promptFeedback", {{"blockReason", "PROHIBITED_CONTENT"}}}}.dump(),
       "the request was blocked: PROHIBITED_CONTENT"},
      {"no candidates", Json{{"candidates", Json::array()}}.dump(), "no candidate in the answer"},
      {"not JSON", "<html>502</html>", "the response body is not a JSON object"},
  };
  for (const Case& c : cases) {
    const GeminiImageAnswer answer = ReadGeminiImageAnswer(c.body);
    EXPECT_EQ(answer.problem, c.problem) << c.what;
    EXPECT_EQ(answer.image, "") << c.what;
  }
}
}  // namespace
}  // namespace enhancer

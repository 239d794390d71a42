#include "plan/gemini_model_check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plan/gemini_stand_in.h"
#include "plan/gemini_test_support.h"

namespace enhancer {
namespace {

using gemini_test::GeminiStandIn;
using gemini_test::kTestApiKey;
using gemini_test::StandInModel;
using gemini_test::StandInRequest;

bool Contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

class CheckGeminiModelTest : public ::testing::Test {
 protected:
  CheckGeminiModelTest() : stand_in_(kTestApiKey), http_(MakeCurlHttpClient()) {}

  void TearDown() override {
    EXPECT_FALSE(Contains(log_.text(), kTestApiKey)) << log_.text();
    for (const StandInRequest& r : stand_in_.requests()) {
      EXPECT_EQ(r.method, "GET");
      EXPECT_EQ(r.api_key_header, kTestApiKey);
      EXPECT_FALSE(Contains(r.query, kTestApiKey)) << r.query;
      EXPECT_EQ(r.problem, "") << r.path << "?" << r.query;
    }
  }

  Status Check(std::string_view model) {
    Status status = CheckGeminiModel(*http_, stand_in_.url(), kTestApiKey, model, {});
    EXPECT_FALSE(Contains(status.message(), kTestApiKey)) << status.message();
    return status;
  }

  gemini_test::LogCapture log_;
  GeminiStandIn stand_in_;
  std::unique_ptr<HttpClient> http_;
};

TEST_F(CheckGeminiModelTest, FindsAListedModelAcrossPages) {
  // Five models, two a page: gemini-2.5-flash-lite is on the second page.
  Status status = Check("gemini-2.5-flash-lite");
  EXPECT_TRUE(status.ok()) << status.ToString();
  const std::vector<StandInRequest> requests = stand_in_.requests();
  ASSERT_EQ(requests.size(), 3u);  // the whole list is read: three pages
  EXPECT_EQ(requests[0].path, "/v1beta/models");
  EXPECT_EQ(requests[0].query, "pageSize=1000");
  // The page token holds '=', '+' and '/': it must come back exactly as given.
  EXPECT_EQ(requests[1].query, "pageSize=1000&pageToken=page=2+/");
  EXPECT_EQ(requests[2].query, "pageSize=1000&pageToken=page=4+/");
}

TEST_F(CheckGeminiModelTest, AcceptsTheModelsPrefix) {
  EXPECT_TRUE(Check("models/gemini-2.5-pro").ok());
}

TEST_F(CheckGeminiModelTest, AcceptsAnAliasTheListDoesNotShow) {
  Status status = Check("gemini-flash-latest");
  EXPECT_TRUE(status.ok()) << status.ToString();
  const std::vector<StandInRequest> requests = stand_in_.requests();
  ASSERT_EQ(requests.size(), 4u);
  EXPECT_EQ(requests[3].path, "/v1beta/models/gemini-flash-latest");
}

TEST_F(CheckGeminiModelTest, ARetiredModelIsNotFoundAndTheMessageNamesModelsThatExist) {
  Status status = Check("gemini-1.5-flash");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(),
            "Gemini model \"gemini-1.5-flash\" does not exist (retired or misspelt); models that "
            "do: gemini-2.5-flash, gemini-2.0-flash, gemini-2.5-flash-lite and the alias "
            "gemini-flash-latest");
  EXPECT_EQ(stand_in_.requests().back().path, "/v1beta/models/gemini-1.5-flash");
}

TEST_F(CheckGeminiModelTest, NamesOtherModelsWhenNoFlashModelIsListed) {
  stand_in_.SetModels({{"gemini-2.5-pro"}, {"gemma-3-27b-it"}, {"embed", {"embedContent"}}}, 10);
  Status status = Check("gemini-1.5-flash");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(status.message(),
                       "models that do: gemini-2.5-pro, gemma-3-27b-it and the alias "
                       "gemini-flash-latest"))
      << status.message();
}

TEST_F(CheckGeminiModelTest, NamesAtMostFiveModels) {
  std::vector<StandInModel> models;
  for (int i = 0; i < 8; ++i) models.push_back({"gemini-flash-" + std::to_string(i)});
  stand_in_.SetModels(models, 3);
  Status status = Check("gemini-1.5-flash");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(status.message(), "gemini-flash-4 and the alias")) << status.message();
  EXPECT_FALSE(Contains(status.message(), "gemini-flash-5")) << status.message();
}

TEST_F(CheckGeminiModelTest, AModelThatCannotGenerateContentIsAFailedPrecondition) {
  Status status = Check("text-embedding-004");
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(status.message(), "cannot generateContent (it supports: embedContent)"))
      << status.message();
}

TEST_F(CheckGeminiModelTest, AWrongKeyIsAFailedPrecondition) {
  GeminiStandIn other("AIzaTheOtherKey-999");
  Status status = CheckGeminiModel(*http_, other.url(), kTestApiKey, "gemini-2.5-flash", {});
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(status.message(),
                       "Gemini models.list: HTTP 400 INVALID_ARGUMENT: API key "
                       "not valid"))
      << status.message();
  EXPECT_FALSE(Contains(status.message(), kTestApiKey)) << status.message();
}

TEST_F(CheckGeminiModelTest, RefusesNamesThatCannotGoIntoAUrl) {
  for (const char* model : {"gemini 1.5", "../admin", "", "models/", "a?b"}) {
    EXPECT_EQ(Check(model).code(), StatusCode::kInvalidArgument) << model;
  }
  EXPECT_EQ(CheckGeminiModel(*http_, "not a url", kTestApiKey, "gemini-2.5-flash", {}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(stand_in_.requests().empty());
}

TEST_F(CheckGeminiModelTest, AnUnreachableServiceIsUnavailable) {
  std::string url;
  {
    GeminiStandIn gone(kTestApiKey);
    url = gone.url();
  }
  Status status = CheckGeminiModel(*http_, url, kTestApiKey, "gemini-2.5-flash", {});
  EXPECT_EQ(status.code(), StatusCode::kUnavailable) << status.ToString();
}

}  // namespace
}  // namespace enhancer

// The two pipelines, step by step. Sizes are fixed once, by DecodeStep; later steps only apply.
#include "render/pipeline.h"

#include "render/vips_error.h"

namespace enhancer::render {
namespace {

template <typename Context>
using Step = Status (*)(Context&);

template <typename Context, size_t N>
Status Run(const Step<Context> (&steps)[N], Context& context) {
  for (Step<Context> step : steps) ENHANCER_RETURN_IF_ERROR(step(context));
  return OkStatus();
}

// The base is computed once, here, and shared by every recipe: without this each render would
// decode the photo again. Only the 16-bit fitted image is kept, never a full-size decode larger
// than it.
Status KeepInMemoryStep(PrepareContext& context) {
  context.image = To16Bit(context.image).copy_memory();
  return OkStatus();
}

}  // namespace

Status RunPreparePipeline(PrepareContext& context) {
  // Checked before libvips sees a byte.
  ENHANCER_RETURN_IF_ERROR(CheckInputStep(context));
  static constexpr Step<PrepareContext> kSteps[] = {
      HeaderStep, DecodeStep, ColourStep, HistogramStep, FitStep, KeepInMemoryStep, OrientStep,
  };
  // Failures inside libvips here are the photo's fault: corrupt, truncated or unsupported data.
  const std::string what =
      "the " + std::string(ImageTypeName(context.type)) + " image could not be decoded";
  return GuardVips(what, StatusCode::kInvalidArgument, [&] { return Run(kSteps, context); });
}

Status RunRenderPipeline(RenderContext& context) {
  static constexpr Step<RenderContext> kSteps[] = {
      CanvasStep, EncodeStep, ThumbnailStep,
  };
  // The base was decoded already: a failure now is ours, not the photo's.
  return GuardVips("rendering failed", StatusCode::kInternal, [&] { return Run(kSteps, context); });
}

}  // namespace enhancer::render

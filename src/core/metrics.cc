#include "core/metrics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>

namespace enhancer {
namespace {

std::string FormatValue(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<int64_t>(v));
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

std::string Series(const std::string& name, const std::string& labels) {
  return labels.empty() ? name : name + "{" + labels + "}";
}

std::string JoinLabels(const std::string& labels, const std::string& extra) {
  return labels.empty() ? extra : labels + "," + extra;
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {
  assert(std::is_sorted(bounds_.begin(), bounds_.end()));
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::Observe(double value) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  double old = sum_.load(std::memory_order_relaxed);
  while (!sum_.compare_exchange_weak(old, old + value, std::memory_order_relaxed)) {
  }
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot s;
  s.bounds = bounds_;
  uint64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::vector<double> DurationBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
}

Metrics::Family& Metrics::FamilyOf(const std::string& name, Kind kind, const std::string& help) {
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) {
    it->second.kind = kind;
    it->second.help = help;
  }
  assert(it->second.kind == kind);
  return it->second;
}

Counter& Metrics::GetCounter(const std::string& name, const std::string& help, const std::string& labels) {
  std::lock_guard lock(mu_);
  auto& slot = FamilyOf(name, Kind::kCounter, help).counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& Metrics::GetGauge(const std::string& name, const std::string& help, const std::string& labels) {
  std::lock_guard lock(mu_);
  auto& slot = FamilyOf(name, Kind::kGauge, help).gauges[labels];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& Metrics::GetHistogram(const std::string& name, const std::string& help, const std::string& labels,
                                 std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  auto& slot = FamilyOf(name, Kind::kHistogram, help).histograms[labels];
  if (!slot) slot = std::make_unique<Histogram>(std::move(bounds));
  return *slot;
}

void Metrics::AddCallbackGauge(const std::string& name, const std::string& help, const std::string& labels,
                               std::function<std::optional<double>()> read) {
  std::lock_guard lock(mu_);
  FamilyOf(name, Kind::kGauge, help).callbacks[labels] = std::move(read);
}

std::string Metrics::Render() const {
  // Callbacks may be slow (a queue round trip): copy them out and call them unlocked.
  std::map<std::string, std::pair<std::string, std::map<std::string, std::function<std::optional<double>()>>>> callbacks;
  std::string out;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, family] : families_) {
      const char* type = family.kind == Kind::kCounter ? "counter" : family.kind == Kind::kGauge ? "gauge" : "histogram";
      if (!family.callbacks.empty()) {
        callbacks[name] = {family.help, family.callbacks};
        if (family.gauges.empty()) continue;
      }
      out += "# HELP " + name + " " + family.help + "\n# TYPE " + name + " " + type + "\n";
      for (const auto& [labels, c] : family.counters) out += Series(name, labels) + " " + FormatValue(c->value()) + "\n";
      for (const auto& [labels, g] : family.gauges) out += Series(name, labels) + " " + FormatValue(g->value()) + "\n";
      for (const auto& [labels, h] : family.histograms) {
        Histogram::Snapshot s = h->Read();
        for (size_t i = 0; i < s.cumulative.size(); ++i) {
          std::string le = i < s.bounds.size() ? FormatValue(s.bounds[i]) : "+Inf";
          out += Series(name + "_bucket", JoinLabels(labels, "le=\"" + le + "\"")) + " " +
                 std::to_string(s.cumulative[i]) + "\n";
        }
        out += Series(name + "_sum", labels) + " " + FormatValue(s.sum) + "\n";
        out += Series(name + "_count", labels) + " " + std::to_string(s.count) + "\n";
      }
    }
  }
  for (const auto& [name, entry] : callbacks) {
    std::string lines;
    for (const auto& [labels, read] : entry.second) {
      if (std::optional<double> v = read()) lines += Series(name, labels) + " " + FormatValue(*v) + "\n";
    }
    if (lines.empty()) continue;
    out += "# HELP " + name + " " + entry.first + "\n# TYPE " + name + " gauge\n" + lines;
  }
  return out;
}

}  // namespace enhancer

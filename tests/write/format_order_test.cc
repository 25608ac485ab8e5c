// fmt's series order is client_golang's (prometheus/internal metricSorter): checked on the
// Pushgateway's output shape, where series of one family have different label counts.
#include <string>
#include <string_view>

#include "gtest/gtest.h"
#include "promtool/fmt.h"
#include "promtool/source.h"

namespace promtool {
namespace {

struct OrderRow {
  const char* name;
  std::string_view input;
  std::string_view canonical;
};

class FormatOrder : public ::testing::TestWithParam<OrderRow> {};

TEST_P(FormatOrder, IsClientGolangsOrder) {
  auto src = MemorySource(GetParam().input);
  FmtResult r = Fmt(*src, FmtOptions{});
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(r.output, GetParam().canonical);
  // Already-canonical input is left as it is (fmt --check passes on it).
  auto again = MemorySource(r.output);
  EXPECT_EQ(Fmt(*again, FmtOptions{}).output, r.output);
}

// The Pushgateway exposes one push_time_seconds series per group; a group with more grouping
// labels has more labels, and client_golang puts the series with fewer labels first even when
// its label values sort later.
constexpr std::string_view kPushgateway =
    "# HELP push_time_seconds Last Unix time when changing this group in the Pushgateway "
    "succeeded.\n"
    "# TYPE push_time_seconds gauge\n"
    "push_time_seconds{instance=\"\",job=\"zeta\"} 1.7e+09\n"
    "push_time_seconds{instance=\"\",job=\"alpha\",region=\"eu\"} 1.7e+09\n"
    "push_time_seconds{instance=\"host\",job=\"alpha\",region=\"eu\"} 1.7e+09\n";

INSTANTIATE_TEST_SUITE_P(
    Rows, FormatOrder,
    ::testing::Values(
        OrderRow{"pushgateway_untouched", kPushgateway, kPushgateway},
        OrderRow{"fewer_labels_first_whatever_the_values",
                 "# TYPE a gauge\na{x=\"a\",y=\"b\"} 1\na{x=\"z\"} 2\na 3\n",
                 "# TYPE a gauge\na 3\na{x=\"z\"} 2\na{x=\"a\",y=\"b\"} 1\n"},
        // Same label count: values position by position; the label names are not compared.
        OrderRow{"values_compared_not_names", "# TYPE a gauge\na{a=\"2\"} 1\na{b=\"1\"} 2\n",
                 "# TYPE a gauge\na{b=\"1\"} 2\na{a=\"2\"} 1\n"},
        OrderRow{"second_value_decides",
                 "# TYPE a gauge\na{a=\"1\",b=\"2\"} 1\na{a=\"1\",b=\"10\"} 2\n",
                 "# TYPE a gauge\na{a=\"1\",b=\"10\"} 2\na{a=\"1\",b=\"2\"} 1\n"},
        // Equal labels: by timestamp, a series without one ("now") last.
        OrderRow{"timestamp_none_last", "# TYPE a gauge\na 3\na 1 200\na 2 100\n",
                 "# TYPE a gauge\na 2 100\na 1 200\na 3\n"}),
    [](const auto& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace promtool

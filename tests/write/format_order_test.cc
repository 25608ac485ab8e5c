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

// Families come in name order, except that a family named like a histogram's or summary's own
// lines comes before it: after `# TYPE h histogram`, `# TYPE h_bucket` would be read as a second
// TYPE line of h.
class FamilyOrder : public ::testing::TestWithParam<OrderRow> {};

TEST_P(FamilyOrder, IsNameOrderWithCollidingNamesFirst) {
  auto src = MemorySource(GetParam().input);
  FmtResult r = Fmt(*src, FmtOptions{});
  ASSERT_TRUE(r.ok()) << r.error.message;
  EXPECT_EQ(r.output, GetParam().canonical);
  auto again = MemorySource(r.output);
  FmtResult second = Fmt(*again, FmtOptions{});
  ASSERT_TRUE(second.ok()) << second.error.message;
  EXPECT_EQ(second.output, r.output);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, FamilyOrder,
    ::testing::Values(
        OrderRow{"by_name", "b 1\na 2\n", "# TYPE a untyped\na 2\n# TYPE b untyped\nb 1\n"},
        // The second h_bucket line joins the family h_bucket (the exact name wins); h is left
        // with its count, and no +Inf line is added for it.
        OrderRow{"bucket_family_before_histogram",
                 "h_bucket{le=\"1\"} 1\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3\nh_count 3\n",
                 "# TYPE h_bucket untyped\nh_bucket{le=\"+Inf\"} 3\nh_bucket{le=\"1\"} 1\n"
                 "# TYPE h histogram\nh_count 3\n"},
        OrderRow{"sum_family_before_summary", "s_sum 1\n# TYPE s summary\ns_count 2\n",
                 "# TYPE s_sum untyped\ns_sum 1\n# TYPE s summary\ns_count 2\n"},
        OrderRow{"chain_innermost_first",
                 "h_bucket_sum 1\n# TYPE h_bucket summary\n# TYPE h histogram\nh_count 1\n",
                 "# TYPE h_bucket_sum untyped\nh_bucket_sum 1\n# TYPE h_bucket summary\n"
                 "# TYPE h histogram\nh_count 1\n"}),
    [](const auto& row) { return std::string(row.param.name); });

}  // namespace
}  // namespace promtool

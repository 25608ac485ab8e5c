// abbreviated-units: one problem per abbreviation found as a word (after lower-casing).
#include "lint_test_util.h"

namespace promtool::lint::testing {
namespace {

constexpr const char* kText = " metric names should not contain abbreviated units";

TEST(AbbreviatedUnits, Table) {
  RunCases("abbreviated-units",
           {
               {"suffix", "latency_ms 1\n", {std::string("latency_ms") + kText}},
               {"infix", "latency_sec_x 1\n", {std::string("latency_sec_x") + kText}},
               {"two abbreviations",
                "latency_s_ms 1\n",
                {std::string("latency_s_ms") + kText, std::string("latency_s_ms") + kText}},
               {"upper case", "size_MB 1\n", {std::string("size_MB") + kText}},
               {"every one", "a_s_ms_us_ns_sec_b_kb_mb_gb_tb_pb_m_h_d 1\n",
                std::vector<std::string>(
                    14, std::string("a_s_ms_us_ns_sec_b_kb_mb_gb_tb_pb_m_h_d") + kText)},
               {"prefix is not a word", "ms_latency 1\n", {}},
               {"inside a word", "items_total 1\n", {}},
               {"spelled out", "latency_seconds 1\n", {}},
           });
}

}  // namespace
}  // namespace promtool::lint::testing

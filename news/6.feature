Back office listing for shop staff: search, state filter with counts, date range, sorting, batching, CSV export safe against formula injection, bulk deliver/complete.

"""Publishing: from a good build in the warehouse to what people read (the analyst database, the
exports, the workbook, the senders' feedback workbooks, the report and the province line). No Dagster here: orchestration/ wires it."""

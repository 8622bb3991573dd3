output "function_names" {
  description = "Function names by role (ingest, classify, query, projector, admin)."
  value       = { for k, f in aws_lambda_function.function : k => f.function_name }
}

output "function_arns" {
  description = "Function ARNs by role."
  value       = { for k, f in aws_lambda_function.function : k => f.arn }
}

output "role_arns" {
  description = "Execution role ARNs by function."
  value       = { for k, r in aws_iam_role.function : k => r.arn }
}

output "role_names" {
  description = "Execution role names by function (for policies attached elsewhere, such as notifications)."
  value       = { for k, r in aws_iam_role.function : k => r.name }
}

output "log_group_names" {
  description = "Log groups by function."
  value       = { for k, g in aws_cloudwatch_log_group.function : k => g.name }
}

output "ingest_url" {
  description = "Function URL of ingest (POST /images, POST /uploads)."
  value       = aws_lambda_function_url.function["ingest"].function_url
}

output "query_url" {
  description = "Function URL of query (GET routes)."
  value       = aws_lambda_function_url.function["query"].function_url
}

output "admin_url" {
  description = "Function URL of admin (POST /admin/replay)."
  value       = aws_lambda_function_url.function["admin"].function_url
}

output "event_stream_mapping_uuid" {
  description = "UUID of the projector's stream mapping (for update-event-source-mapping)."
  value       = aws_lambda_event_source_mapping.event_stream.uuid
}

output "classify_queue_mapping_uuid" {
  description = "UUID of classify's SQS mapping."
  value       = aws_lambda_event_source_mapping.classify_queue.uuid
}

output "caller_policy_json" {
  description = "Identity policy for a caller's role (upstream systems): lambda:InvokeFunctionUrl (AuthType AWS_IAM) and lambda:InvokeFunction (only via the URL) on ingest and query. Needed besides url_invoker_principals whenever that list names an account, or the role is in another account."
  value       = data.aws_iam_policy_document.url_caller["callers"].json
}

output "admin_caller_policy_json" {
  description = "Identity policy for an operator's role: the same two actions on the admin function only."
  value       = data.aws_iam_policy_document.url_caller["admin"].json
}

output "ingest_url" {
  description = "Function URL for POST /images and POST /uploads (SigV4, service lambda)."
  value       = module.functions.ingest_url
}

output "query_url" {
  description = "Function URL for the GET routes (SigV4, service lambda)."
  value       = module.functions.query_url
}

output "admin_url" {
  description = "Function URL for POST /admin/replay (SigV4, service lambda; admin_url_invoker_principals only)."
  value       = module.functions.admin_url
}

output "bucket_name" {
  description = "Image bucket (incoming/ arrivals, images/{sha256})."
  value       = module.storage.bucket_name
}

output "classify_queue_url" {
  description = "Classify queue."
  value       = module.queue.classify_queue_url
}

output "classify_queue_arn" {
  description = "Classify queue ARN (destination of a DLQ redrive)."
  value       = module.queue.classify_queue_arn
}

output "dead_letter_queue_url" {
  description = "Classify DLQ."
  value       = module.queue.dead_letter_queue_url
}

output "dead_letter_queue_arn" {
  description = "Classify DLQ ARN (source of start-message-move-task)."
  value       = module.queue.dead_letter_queue_arn
}

output "stream_failure_queue_url" {
  description = "Stream records the projector gave up on."
  value       = module.queue.stream_failure_queue_url
}

output "classify_queue_visibility_timeout_seconds" {
  description = "Visibility timeout as computed from the classify timeout."
  value       = module.queue.visibility_timeout_seconds
}

output "event_table_name" {
  description = "Event table."
  value       = module.tables.event_table_name
}

output "view_table_name" {
  description = "Results view table."
  value       = module.tables.view_table_name
}

output "idempotency_table_name" {
  description = "Idempotency table."
  value       = module.tables.idempotency_table_name
}

output "function_names" {
  description = "Function names by role."
  value       = module.functions.function_names
}

output "log_group_names" {
  description = "Log groups by function."
  value       = module.functions.log_group_names
}

output "alarm_names" {
  description = "CloudWatch alarms."
  value       = module.alarms.alarm_names
}

output "caller_policy_json" {
  description = "Attach to each upstream caller's IAM role (aws iam put-role-policy ... --policy-document): both actions a Function URL call needs, on ingest and query."
  value       = module.functions.caller_policy_json
}

output "admin_caller_policy_json" {
  description = "Attach to each operator's IAM role: both actions on the admin URL."
  value       = module.functions.admin_caller_policy_json
}

output "notification_bus_name" {
  description = "The EventBridge bus completion notifications are put on (null without notifications)."
  value       = var.notifications ? module.notifications[0].bus_name : null
}

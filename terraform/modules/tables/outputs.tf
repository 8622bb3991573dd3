output "event_table_name" {
  description = "Name of the event table."
  value       = aws_dynamodb_table.events.name
}

output "event_table_arn" {
  description = "ARN of the event table."
  value       = aws_dynamodb_table.events.arn
}

output "event_stream_arn" {
  description = "ARN of the event table's stream (NEW_IMAGE)."
  value       = aws_dynamodb_table.events.stream_arn
}

output "view_table_name" {
  description = "Name of the results view table."
  value       = aws_dynamodb_table.view.name
}

output "view_table_arn" {
  description = "ARN of the results view table."
  value       = aws_dynamodb_table.view.arn
}

output "idempotency_table_name" {
  description = "Name of the idempotency table."
  value       = aws_dynamodb_table.idempotency.name
}

output "idempotency_table_arn" {
  description = "ARN of the idempotency table."
  value       = aws_dynamodb_table.idempotency.arn
}

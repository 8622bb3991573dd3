output "classify_queue_url" {
  description = "URL of the classify queue."
  value       = aws_sqs_queue.classify.id
}

output "classify_queue_arn" {
  description = "ARN of the classify queue."
  value       = aws_sqs_queue.classify.arn
}

output "classify_queue_name" {
  description = "Name of the classify queue (CloudWatch dimension)."
  value       = aws_sqs_queue.classify.name
}

output "dead_letter_queue_url" {
  description = "URL of the classify queue's DLQ."
  value       = aws_sqs_queue.dead_letters.id
}

output "dead_letter_queue_arn" {
  description = "ARN of the classify queue's DLQ."
  value       = aws_sqs_queue.dead_letters.arn
}

output "dead_letter_queue_name" {
  description = "Name of the classify queue's DLQ."
  value       = aws_sqs_queue.dead_letters.name
}

output "visibility_timeout_seconds" {
  description = "The classify queue's visibility timeout as computed."
  value       = local.visibility_timeout_seconds
}

output "stream_failure_queue_url" {
  description = "URL of the queue that receives stream records the projector gave up on."
  value       = aws_sqs_queue.stream_failures.id
}

output "stream_failure_queue_arn" {
  description = "ARN of that queue."
  value       = aws_sqs_queue.stream_failures.arn
}

output "stream_failure_queue_name" {
  description = "Name of that queue."
  value       = aws_sqs_queue.stream_failures.name
}

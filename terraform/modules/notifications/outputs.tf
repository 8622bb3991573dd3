output "bus_name" {
  description = "Name of the notification bus: consumers put their rules on it."
  value       = aws_cloudwatch_event_bus.notifications.name
}

output "bus_arn" {
  description = "ARN of the notification bus."
  value       = aws_cloudwatch_event_bus.notifications.arn
}

output "projector_environment" {
  description = "Environment the projector needs to publish (pass to the functions module's projector_extra_environment)."
  value       = local.environment
}

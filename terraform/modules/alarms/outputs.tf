output "alarm_names" {
  description = "Every alarm this module made."
  value = concat(
    [for a in aws_cloudwatch_metric_alarm.dead_letters : a.alarm_name],
    [aws_cloudwatch_metric_alarm.oldest_message.alarm_name, aws_cloudwatch_metric_alarm.iterator_age.alarm_name],
    [aws_cloudwatch_metric_alarm.arrivals_lost.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.errors : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.throttles : a.alarm_name],
  )
}

# Function URLs, signed requests only (SigV4, service "lambda"). The callers in var.url_invoker_principals get
# both permissions a URL call needs since October 2025: lambda:InvokeFunctionUrl (auth type AWS_IAM) and
# lambda:InvokeFunction restricted to calls that come through the URL.

locals {
  url_functions = toset(["ingest", "query"])
  url_grants = {
    for pair in setproduct(local.url_functions, range(length(var.url_invoker_principals))) :
    "${pair[0]}-${pair[1]}" => { function = pair[0], principal = var.url_invoker_principals[pair[1]] }
  }
}

resource "aws_lambda_function_url" "function" {
  for_each           = local.url_functions
  function_name      = aws_lambda_function.function[each.key].function_name
  authorization_type = "AWS_IAM"
  invoke_mode        = "BUFFERED"
}

resource "aws_lambda_permission" "invoke_function_url" {
  for_each               = local.url_grants
  statement_id           = "InvokeFunctionUrl-${each.key}"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.function[each.value.function].function_name
  principal              = each.value.principal
  function_url_auth_type = "AWS_IAM"
}

resource "aws_lambda_permission" "invoke_function_via_url" {
  for_each                 = local.url_grants
  statement_id             = "InvokeFunctionViaUrl-${each.key}"
  action                   = "lambda:InvokeFunction"
  function_name            = aws_lambda_function.function[each.value.function].function_name
  principal                = each.value.principal
  invoked_via_function_url = true
}

# Function URLs, signed requests only (SigV4, service "lambda"). Each caller gets both permissions a URL call needs
# since October 2025: lambda:InvokeFunctionUrl (auth type AWS_IAM) and lambda:InvokeFunction restricted to calls
# that come through the URL.
#
# Two lists of callers: var.url_invoker_principals (the upstream systems) may call ingest and query only;
# var.admin_url_invoker_principals (operators) may call admin only. A replay appends events and rewrites the
# results view, so the systems that submit images and read answers get no grant on it.

locals {
  url_invokers = {
    ingest = var.url_invoker_principals
    query  = var.url_invoker_principals
    admin  = var.admin_url_invoker_principals
  }
  url_functions = toset(keys(local.url_invokers))
  # Keyed by function and principal, not by list position: removing a caller from the middle of a list touches
  # that caller's two statements only, instead of replacing every statement after it.
  url_grants = merge([
    for name, principals in local.url_invokers : {
      for principal in principals : "${name} ${principal}" => { function = name, principal = principal }
    }
  ]...)
}

resource "aws_lambda_function_url" "function" {
  for_each           = local.url_functions
  function_name      = aws_lambda_function.function[each.key].function_name
  authorization_type = "AWS_IAM"
  invoke_mode        = "BUFFERED"
}

resource "aws_lambda_permission" "invoke_function_url" {
  for_each               = local.url_grants
  statement_id           = "InvokeFunctionUrl-${each.value.function}-${substr(sha256(each.value.principal), 0, 16)}"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.function[each.value.function].function_name
  principal              = each.value.principal
  function_url_auth_type = "AWS_IAM"
}

resource "aws_lambda_permission" "invoke_function_via_url" {
  for_each                 = local.url_grants
  statement_id             = "InvokeFunctionViaUrl-${each.value.function}-${substr(sha256(each.value.principal), 0, 16)}"
  action                   = "lambda:InvokeFunction"
  function_name            = aws_lambda_function.function[each.value.function].function_name
  principal                = each.value.principal
  invoked_via_function_url = true
}

# What a caller's own role needs to call the URLs: the resource policy above lets the named principal in, but an
# account id in it only delegates to that account, whose roles still need an identity policy allowing both
# actions; a role in another account always needs it. Attach the output caller_policy_json (ingest and query) or
# admin_caller_policy_json (admin) to the caller's role.
data "aws_iam_policy_document" "url_caller" {
  for_each = { callers = ["ingest", "query"], admin = ["admin"] }

  statement {
    sid       = "InvokeFunctionUrl"
    effect    = "Allow"
    actions   = ["lambda:InvokeFunctionUrl"]
    resources = [for f in each.value : aws_lambda_function.function[f].arn]
    condition {
      test     = "StringEquals"
      variable = "lambda:FunctionUrlAuthType"
      values   = ["AWS_IAM"]
    }
  }

  statement {
    sid       = "InvokeFunctionViaUrl"
    effect    = "Allow"
    actions   = ["lambda:InvokeFunction"]
    resources = [for f in each.value : aws_lambda_function.function[f].arn]
    condition {
      test     = "Bool"
      variable = "lambda:InvokedViaFunctionUrl"
      values   = ["true"]
    }
  }
}

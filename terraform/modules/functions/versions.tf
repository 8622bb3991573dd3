terraform {
  required_version = ">= 1.9"
  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.29 added invoked_via_function_url to aws_lambda_permission (the second Function URL permission)
      version = ">= 6.29"
    }
  }
}

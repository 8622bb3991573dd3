terraform {
  required_version = ">= 1.9"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.29"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = merge({ project = "cat-wrangler", environment = var.environment }, var.tags)
  }
}

mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "111111111111" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
}

variables {
  name                = "sluice-test"
  service_principals  = ["logs.eu-west-1.amazonaws.com"]
  decrypt_account_ids = ["222222222222"]
}

run "key_policy_is_explicit" {
  command = apply

  assert {
    condition     = aws_kms_key.this.enable_key_rotation
    error_message = "Key rotation must be on."
  }
  assert {
    condition     = alltrue(flatten([for s in jsondecode(aws_kms_key.this.policy).Statement : [for a in flatten([s.Action]) : !strcontains(a, "*")]]))
    error_message = "Key policy must not use wildcard actions."
  }
  assert {
    condition     = [for s in jsondecode(aws_kms_key.this.policy).Statement : s.Action if s.Sid == "AllowSharedSecretReaders"][0] == ["kms:Decrypt", "kms:DescribeKey"]
    error_message = "Other accounts may only decrypt."
  }
  assert {
    condition     = [for s in jsondecode(aws_kms_key.this.policy).Statement : s.Condition.StringEquals["kms:ViaService"] if s.Sid == "AllowSharedSecretReaders"][0] == "secretsmanager.eu-west-1.amazonaws.com"
    error_message = "Cross-account decrypt must be limited to Secrets Manager."
  }
}

run "rejects_bad_account" {
  command = plan
  variables {
    decrypt_account_ids = ["12345"]
  }
  expect_failures = [var.decrypt_account_ids]
}

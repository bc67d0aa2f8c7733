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
  name                   = "sluice-test"
  service_principals     = ["logs.eu-west-1.amazonaws.com"]
  decrypt_principal_arns = ["arn:aws:iam::222222222222:role/sluice-aggregator-lambda"]
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
  assert {
    condition     = [for s in jsondecode(aws_kms_key.this.policy).Statement : s.Condition.ArnEquals["aws:PrincipalArn"] if s.Sid == "AllowSharedSecretReaders"][0] == ["arn:aws:iam::222222222222:role/sluice-aggregator-lambda"] && [for s in jsondecode(aws_kms_key.this.policy).Statement : s.Principal.AWS if s.Sid == "AllowSharedSecretReaders"][0] == ["arn:aws:iam::222222222222:root"]
    error_message = "Cross-account decrypt must be restricted to the named roles, not the whole account."
  }
}

run "rejects_account_root" {
  command = plan
  variables {
    decrypt_principal_arns = ["arn:aws:iam::222222222222:root"]
  }
  expect_failures = [var.decrypt_principal_arns]
}

# Terraform 1.11's mock providers do not support ephemeral resources, so infra/test.sh runs these plans with the
# real provider, fake credentials and its offline read stub (policy/PlanEndpoint.java), which answers
# GetRandomPassword. Nothing is applied.
variables {
  name                  = "sluice_aggregator"
  username              = "sluice-aggregator"
  kms_key_arn           = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  reader_principal_arns = ["arn:aws:iam::222222222222:role/sluice-aggregator-lambda"]
}

run "secret_for_msk_shared_with_named_role" {
  command = plan

  assert {
    condition     = aws_secretsmanager_secret.this.name == "AmazonMSK_sluice_aggregator" && aws_secretsmanager_secret.this.kms_key_id == var.kms_key_arn
    error_message = "MSK needs the AmazonMSK_ prefix and a customer managed key."
  }
  assert {
    condition     = aws_secretsmanager_secret_version.this.secret_string == null && aws_secretsmanager_secret_version.this.secret_string_wo_version == 1
    error_message = "The credentials are written only through the write-only attribute."
  }
  assert {
    condition     = jsonencode(jsondecode(aws_secretsmanager_secret_policy.this[0].policy).Statement[0].Principal.AWS) == jsonencode(["arn:aws:iam::222222222222:root"]) && jsonencode(jsondecode(aws_secretsmanager_secret_policy.this[0].policy).Statement[0].Condition.ArnEquals["aws:PrincipalArn"]) == jsonencode(var.reader_principal_arns) && jsonencode(jsondecode(aws_secretsmanager_secret_policy.this[0].policy).Statement[0].Action) == jsonencode(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"])
    error_message = "Only the named role of the other account may read the secret."
  }
}

run "no_policy_without_readers" {
  command = plan
  variables {
    reader_principal_arns = []
  }
  assert {
    condition     = length(aws_secretsmanager_secret_policy.this) == 0
    error_message = "No resource policy when nobody else reads the secret."
  }
}

# One run for both rejections: each run starts the real provider, which is slow.
run "rejects_account_root_reader_and_aws_managed_key" {
  command = plan
  variables {
    reader_principal_arns = ["arn:aws:iam::222222222222:root"]
    kms_key_arn           = "alias/aws/secretsmanager"
  }
  expect_failures = [var.reader_principal_arns, var.kms_key_arn]
}

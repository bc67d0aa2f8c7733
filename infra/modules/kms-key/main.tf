data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"

  # The account keeps full administrative control of the key, spelled out action by action (no wildcards).
  admin_actions = [
    "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt", "kms:DeleteAlias",
    "kms:DescribeKey", "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation",
    "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus", "kms:ListAliases", "kms:ListGrants", "kms:ListKeyPolicies",
    "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:RetireGrant",
    "kms:RevokeGrant", "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource",
    "kms:UpdateAlias", "kms:UpdateKeyDescription",
  ]

  statements = concat(
    [{
      Sid       = "AccountAdministration"
      Effect    = "Allow"
      Principal = { AWS = local.account_root }
      Action    = local.admin_actions
      Resource  = "*"
    }],
    length(var.service_principals) == 0 ? [] : [{
      Sid       = "AllowServices"
      Effect    = "Allow"
      Principal = { Service = var.service_principals }
      Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"]
      Resource  = "*"
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }],
    length(var.decrypt_principal_arns) == 0 ? [] : [{
      Sid       = "AllowSharedSecretReaders"
      Effect    = "Allow"
      Principal = { AWS = distinct([for a in var.decrypt_principal_arns : "arn:${data.aws_partition.current.partition}:iam::${split(":", a)[4]}:root"]) }
      Action    = ["kms:Decrypt", "kms:DescribeKey"]
      Resource  = "*"
      Condition = {
        StringEquals = { "kms:ViaService" = "secretsmanager.${data.aws_region.current.name}.amazonaws.com" }
        ArnEquals    = { "aws:PrincipalArn" = var.decrypt_principal_arns }
      }
    }],
  )
}

resource "aws_kms_key" "this" {
  description             = "Sluice ${var.name}"
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = jsonencode({ Version = "2012-10-17", Statement = local.statements })
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

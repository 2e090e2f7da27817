package io.skyhaul.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** Accounts end up in logs and messages: their secrets must not. */
class AccountRedactionTest {
    @Test
    void s3AccountNeverPrintsItsSecret() {
        S3Account a = new S3Account("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "eu-west-1", URI.create("http://127.0.0.1:9000"), true);
        for (String s : new String[] {a.toString(), a.describe()}) {
            assertFalse(s.contains("wJalrXUtnFEMI"), s);
            assertTrue(s.contains("AKIDEXAMPLE"), s);
        }
    }

    @Test
    void azureAccountNeverPrintsKeyConnectionStringOrSas() {
        String key = "c2VjcmV0LWtleS1ub3QtdG8tYmUtbG9nZ2Vk";
        String sas = "sv=2024-01-01&sig=TOPSECRETSIGNATURE";
        String cs = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + key + ";";
        for (AzureAccount a : new AzureAccount[] {AzureAccount.withKey("acme", key, null), AzureAccount.withSas("acme", sas, null),
                AzureAccount.withConnectionString(cs)}) {
            for (String s : new String[] {a.toString(), a.describe()}) {
                assertFalse(s.contains(key) || s.contains("TOPSECRET") || s.contains("AccountKey"), s);
            }
        }
        assertTrue(AzureAccount.withKey("acme", key, null).describe().contains("https://acme.blob.core.windows.net"));
    }

    @Test
    void anAzureAccountNeedsExactlyOneWayToAuthenticate() {
        assertThrows(IllegalArgumentException.class, () -> new AzureAccount("acme", null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new AzureAccount("acme", "k", null, "sas", null));
    }
}

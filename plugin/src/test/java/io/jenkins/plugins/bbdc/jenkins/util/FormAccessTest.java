package io.jenkins.plugins.bbdc.jenkins.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.bbdc.jenkins.util.FormAccess.Need;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FormAccessTest {

    private static FormAccess.Grants granted(Need... needs) {
        Set<Need> set = needs.length == 0 ? EnumSet.noneOf(Need.class) : EnumSet.of(needs[0], needs);
        return set::contains;
    }

    @Test
    void aReadOnlyUserCanNeitherValidateNorListNorTestConnections() {
        FormAccess.Grants readOnly = granted();
        assertThat(FormAccess.mayValidate(false, readOnly)).isFalse();
        assertThat(FormAccess.mayValidate(true, readOnly)).isFalse();
        assertThat(FormAccess.mayListCredentials(false, readOnly)).isFalse();
        assertThat(FormAccess.mayListCredentials(true, readOnly)).isFalse();
        assertThat(FormAccess.mayTestConnection(readOnly)).isFalse();
    }

    @Test
    void jobConfigureIsNotEnoughForTheGlobalForm() {
        FormAccess.Grants jobAdmin = granted(Need.ITEM_CONFIGURE, Need.ITEM_EXTENDED_READ, Need.ITEM_USE_CREDENTIALS);
        assertThat(FormAccess.mayValidate(true, jobAdmin)).isTrue();
        assertThat(FormAccess.mayValidate(false, jobAdmin)).isFalse();
        assertThat(FormAccess.mayListCredentials(false, jobAdmin)).isFalse();
        assertThat(FormAccess.mayTestConnection(jobAdmin)).isFalse();
    }

    @Test
    void credentialsAreListedInAJobWithExtendedReadOrUseItem() {
        assertThat(FormAccess.mayListCredentials(true, granted(Need.ITEM_EXTENDED_READ))).isTrue();
        assertThat(FormAccess.mayListCredentials(true, granted(Need.ITEM_USE_CREDENTIALS))).isTrue();
        assertThat(FormAccess.mayListCredentials(true, granted(Need.ITEM_CONFIGURE))).isFalse();
    }

    @Test
    void administratorsMayDoEverythingGlobally() {
        FormAccess.Grants admin = granted(Need.ADMINISTER);
        assertThat(FormAccess.mayValidate(false, admin)).isTrue();
        assertThat(FormAccess.mayListCredentials(false, admin)).isTrue();
        assertThat(FormAccess.mayTestConnection(admin)).isTrue();
    }
}

package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import edu.umd.cs.findbugs.annotations.Nullable;
import hudson.ExtensionPoint;
import hudson.model.Describable;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.Run;
import hudson.security.Permission;
import java.util.List;
import org.springframework.security.core.Authentication;

public abstract class CredentialsProvider extends Descriptor<CredentialsProvider>
        implements ExtensionPoint, Describable<CredentialsProvider> {
    /** Real value: the Credentials/UseItem permission; null in the stub. */
    public static final Permission USE_ITEM = null;

    @NonNull
    @SuppressWarnings("rawtypes")
    public static <C extends Credentials> List<C> lookupCredentialsInItemGroup(@NonNull Class<C> type,
                                                                               @Nullable ItemGroup itemGroup,
                                                                               @Nullable Authentication authentication,
                                                                               @Nullable List<DomainRequirement> domainRequirements) {
        throw new UnsupportedOperationException();
    }

    @NonNull
    public static <C extends Credentials> List<C> lookupCredentialsInItem(@NonNull Class<C> type,
                                                                          @Nullable Item item,
                                                                          @Nullable Authentication authentication,
                                                                          @Nullable List<DomainRequirement>
                                                                                  domainRequirements) {
        throw new UnsupportedOperationException();
    }

    @CheckForNull
    public static <C extends IdCredentials> C findCredentialById(@NonNull String id, @NonNull Class<C> type,
                                                                 @NonNull Run<?, ?> run,
                                                                 @Nullable List<DomainRequirement> domainRequirements) {
        throw new UnsupportedOperationException();
    }

    @CheckForNull
    @SuppressWarnings("rawtypes")
    public static <C extends Credentials> C track(@NonNull Run build, @CheckForNull C credentials) {
        throw new UnsupportedOperationException();
    }
}

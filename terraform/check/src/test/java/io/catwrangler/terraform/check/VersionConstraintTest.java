package io.catwrangler.terraform.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionConstraintTest {

  @ParameterizedTest(name = "\"{0}\" admits 6.66.0: {1}")
  @CsvSource(delimiter = '|', value = {
      "~> 6.29      | true",
      "~> 6.66.0    | true",
      "~> 6.66.1    | false",
      "~> 6.29.0    | false",
      "~> 6         | true",
      "~> 5.80      | false",
      "~> 7.0       | false",
      ">= 6.29      | true",
      ">= 6.67      | false",
      "> 6.66.0     | false",
      "> 6.65       | true",
      "< 6.66       | false",
      "<= 6.66      | true",
      "6.66.0       | true",
      "= 6.66       | true",
      "6.65.0       | false",
      "!= 6.66.0    | false",
      ">= 6.0, < 7  | true",
      ">= 6.0, < 6.50 | false",
  })
  void admits(String constraint, boolean admitted) {
    assertThat(VersionConstraint.admits(constraint, "6.66.0")).isEqualTo(admitted);
  }

  @ParameterizedTest
  @CsvSource({"latest", "~> six", ">= 6.1.2.3"})
  void refusesWhatIsNotAConstraint(String constraint) {
    assertThatThrownBy(() -> VersionConstraint.admits(constraint, "6.66.0"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

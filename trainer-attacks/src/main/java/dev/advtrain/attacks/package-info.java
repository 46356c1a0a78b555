/**
 * Adversarial attacks: the capability interfaces they see of a model ({@link
 * dev.advtrain.attacks.Classifier} for black-box attacks, {@link
 * dev.advtrain.attacks.DifferentiableClassifier} with gradients of any {@link
 * dev.advtrain.attacks.Loss} of the logits for white-box ones), threat models ({@link
 * dev.advtrain.attacks.Norm}: L-inf, L2, L1, L0), criteria, and the attacks themselves, all guarded
 * by {@link dev.advtrain.attacks.Attack#generate} and listed by name in {@link
 * dev.advtrain.attacks.AttackCatalog}: gradient attacks (FGSM, BIM, PGD, MI-FGSM, APGD), minimal
 * ones (Carlini-Wagner L2, DeepFool), black-box ones (Square, HopSkipJump), transfer, and universal
 * ones (UAP, adversarial patch). docs/attacks.md is the catalogue.
 */
package dev.advtrain.attacks;
